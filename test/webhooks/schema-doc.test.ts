/*
 * docs/webhook-events.schema.json is what an integrator reads: it must be what the generator makes of the zod
 * types today, name every event type, and accept the bodies the bot really sends (and refuse broken ones).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { HandoffRow } from '../../db/queries/handoffs.js';
import type { leads } from '../../db/schema.js';
import { WEBHOOK_EVENT_TYPES, webhookEvent, type WebhookEvent } from '../../src/webhooks/events.js';
import { handoffObjectOf, leadObjectOf } from '../../src/webhooks/objects.js';
import { SCHEMA_DOC_PATH, webhookEventsJsonSchema } from '../../src/webhooks/schema-doc.js';

const committed = JSON.parse(readFileSync(SCHEMA_DOC_PATH, 'utf8'));

const at = (minutes: number) => new Date(Date.parse('2026-11-23T10:00:00Z') + minutes * 60_000);

const leadRow: typeof leads.$inferSelect = {
  id: 7,
  source: 'web',
  externalId: 'hs-1042',
  email: 'ada@acme.example',
  emailKey: 'ada@acme.example',
  name: 'Ada Lovelace',
  company: 'Acme',
  title: 'CTO',
  country: 'GB',
  attributes: { plan: 'enterprise' },
  score: 45,
  scoreBreakdown: [{ ruleId: 1, points: 30, reason: '+30 Form submitted', axis: 'engagement' }],
  criteriaVersion: 3,
  qualified: true,
  stage: 'nurture',
  outcome: null,
  qualificationCount: 1,
  lastActivityAt: at(-60),
  crmStage: 'opportunity',
  crmStageAt: at(600),
  rescoreDueAt: null,
  createdAt: at(-120),
  updatedAt: at(600),
};

const handoffRow: HandoffRow = {
  id: 12,
  leadId: 7,
  qualification: 1,
  score: 45,
  scoreBreakdown: leadRow.scoreBreakdown,
  threshold: 30,
  criteriaVersion: 3,
  channel: 'CSALES',
  messageTs: '1700000000.000100',
  postedAt: at(0),
  claimableSince: at(0),
  claimedBy: 'UREP2',
  claimedAt: at(4),
  firstClaimedAt: at(2),
  decision: 'rejected',
  reasonCode: 'no_budget',
  note: 'next year',
  decidedBy: 'UREP2',
  decidedAt: at(6),
  history: [{ kind: 'released', at: at(3).toISOString(), by: 'UREP1', holder: 'UREP1', heldMs: 60_000 }],
  version: 4,
  routeName: null,
  routingVersion: null,
  postChannel: null,
  offerMode: null,
  createdAt: at(0),
  updatedAt: at(6),
};

const lead = leadObjectOf(leadRow);
const handoff = handoffObjectOf(handoffRow);
const change = { lead, handoff, actor: 'UREP2', previousOwner: 'UREP1' };
const envelope = { id: 'evt_0d9f1c', occurredAt: at(6).toISOString() };

/** One body per event type, as the bot builds them. */
const samples: WebhookEvent[] = [
  { ...envelope, type: 'lead.qualified', data: { lead, handoff: handoffObjectOf({ ...handoffRow, claimedBy: null, decision: null }) } },
  { ...envelope, type: 'handoff.claimed', data: { ...change, previousOwner: null } },
  { ...envelope, type: 'handoff.accepted', data: change },
  { ...envelope, type: 'handoff.rejected', data: change },
  { ...envelope, type: 'handoff.released', data: change },
  { ...envelope, type: 'handoff.reassigned', data: { ...change, actor: 'UMANAGER' } },
  {
    ...envelope,
    type: 'sla.breached',
    data: { lead, handoff, sla: 'decision', limitMs: 3_600_000, waitedMs: 3_660_000, owner: 'UREP2' },
  },
  {
    ...envelope,
    type: 'lead.outcome',
    data: { lead, outcome: { stage: 'won', amount: 12_500.5, currency: 'EUR', occurredAt: at(900).toISOString(), reason: null } },
  },
];

const validate = new Ajv2020({ validateFormats: false }).compile(committed);

describe(SCHEMA_DOC_PATH, () => {
  it('is what the generator makes of the zod types', () => {
    expect(committed, `${SCHEMA_DOC_PATH} is out of date: run npm run schemas and commit the file`).toEqual(webhookEventsJsonSchema());
  });

  it('names every event type, each with its required envelope and data fields', () => {
    const envelopes: Array<Record<string, any>> = committed.oneOf;
    expect(envelopes.map((e) => e.properties.type.const)).toEqual(WEBHOOK_EVENT_TYPES);
    for (const e of envelopes) expect(e.required).toEqual(['id', 'type', 'occurredAt', 'data']);
    expect(committed.$defs.Handoff.required).toEqual(expect.arrayContaining(['id', 'state', 'decision', 'reasonCode', 'note', 'version']));
    expect(committed.$defs.Lead.description).toMatch(/\S/);
  });

  it('accepts a body of each event type as the bot builds it', () => {
    expect(samples.map((s) => s.type)).toEqual(WEBHOOK_EVENT_TYPES);
    for (const sample of samples) {
      expect(webhookEvent.safeParse(sample).success, sample.type).toBe(true);
      // Through JSON, as a receiver gets it.
      expect(validate(JSON.parse(JSON.stringify(sample))), `${sample.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('refuses bodies a receiver must not trust: an unknown type, a missing field, a time that is not ISO', () => {
    const [qualified, claimed] = samples as [WebhookEvent, WebhookEvent];
    const { version: _, ...noVersion } = handoff;
    expect(validate({ ...qualified, type: 'lead.deleted' })).toBe(false);
    expect(validate({ ...claimed, data: { ...change, handoff: noVersion } })).toBe(false);
    expect(validate({ ...claimed, occurredAt: 'yesterday' })).toBe(false);
    expect(validate({ ...claimed, data: { ...change, handoff: { ...handoff, state: 'lost' } } })).toBe(false);
  });
});
