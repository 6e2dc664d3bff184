import { z } from 'zod';
import { OUTCOME_STAGES } from '../../db/schema.js';

/*
 * The webhook payloads, as zod types: the builders produce them, tests parse every delivery with them, and
 * docs/webhook-events.schema.json is generated from them (npm run schemas), so an integrator reads one file.
 * A `.meta({ id })` names a shared object: the file defines it once, under $defs, and refers to it.
 */

const instant = z.iso.datetime().describe('ISO 8601 time, UTC').meta({ id: 'Instant' });
const slackUser = z.string().describe('Slack user id, e.g. U0123ABCD');

export const leadObject = z
  .object({
    source: z.string(),
    externalId: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    country: z.string().nullable(),
    score: z.number().int().describe('The current score'),
    stage: z.enum(['lead', 'mql', 'claimed', 'accepted', 'nurture']).describe("The bot's stage of the lead"),
    criteriaVersion: z.number().int().nullable().describe('The criteria version that produced the score'),
    crmStage: z.enum(OUTCOME_STAGES).nullable().describe('The latest stage the CRM reported'),
  })
  .describe('A lead, as it is when the event happens')
  .meta({ id: 'Lead' });

export const handoffObject = z
  .object({
    id: z.number().int().describe("The handoff's id: one per qualification of a lead"),
    qualification: z.number().int().describe('1 for the first time the lead qualified, 2 for the next…'),
    state: z.enum(['unclaimed', 'claimed', 'accepted', 'rejected', 'expired']),
    score: z.number().int().describe('The score when the lead qualified'),
    threshold: z.number().int(),
    criteriaVersion: z.number().int().describe('The criteria version the lead qualified under'),
    route: z.string().nullable().describe('The routing rule that took the lead; null: the default route'),
    postedAt: instant.nullable(),
    claimedBy: slackUser.nullable(),
    claimedAt: instant.nullable(),
    decision: z.enum(['accepted', 'rejected', 'released', 'expired']).nullable(),
    reasonCode: z.string().nullable().describe('Why it was rejected (not_a_fit, bad_contact_data, no_budget, no_timing, duplicate, other)'),
    note: z.string().nullable().describe("The rep's note on a rejection"),
    decidedBy: slackUser.nullable(),
    decidedAt: instant.nullable(),
    version: z.number().int().describe('Bumped by every change: a higher version is a later state'),
    updatedAt: instant,
  })
  .describe('A handoff of a lead to sales, as it is after the event')
  .meta({ id: 'Handoff' });

export const outcomeObject = z
  .object({
    stage: z.enum(OUTCOME_STAGES),
    amount: z.number().nullable(),
    currency: z.string().nullable().describe('ISO 4217 code, e.g. EUR'),
    occurredAt: instant,
    reason: z.string().nullable(),
  })
  .meta({ id: 'Outcome', description: 'A later stage the CRM reported for the lead' });

const handoffChange = z
  .object({
    lead: leadObject,
    handoff: handoffObject,
    actor: z.string().describe('Who made the change: a Slack user id, or the bot (e.g. "system:auto-release")'),
    previousOwner: slackUser.nullable().describe('Who held the lead before (release, reassignment, decision)'),
  })
  .meta({ id: 'HandoffChange' });

export const EVENT_DATA = {
  'lead.qualified': z.object({ lead: leadObject, handoff: handoffObject }),
  'handoff.claimed': handoffChange,
  'handoff.accepted': handoffChange,
  'handoff.rejected': handoffChange,
  'handoff.released': handoffChange,
  'handoff.reassigned': handoffChange,
  'sla.breached': z.object({
    lead: leadObject,
    handoff: handoffObject,
    sla: z.enum(['claim', 'decision']).describe('claim: nobody claimed it in time; decision: its owner did not decide in time'),
    limitMs: z.number().int(),
    waitedMs: z.number().int(),
    owner: slackUser.nullable().describe('Who holds it (decision SLA); null for the claim SLA'),
  }),
  'lead.outcome': z.object({ lead: leadObject, outcome: outcomeObject }),
} as const;

export type WebhookEventType = keyof typeof EVENT_DATA;
export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_DATA) as WebhookEventType[];
export type EventData<T extends WebhookEventType> = z.infer<(typeof EVENT_DATA)[T]>;

const envelope = <T extends WebhookEventType>(type: T) =>
  z.object({
    id: z.string().describe('The event id; also sent as the Idempotency-Key header. Retries of a delivery keep it.'),
    type: z.literal(type),
    occurredAt: instant,
    data: EVENT_DATA[type],
  });

/** Every delivery's JSON body is one of these. */
export const webhookEvent = z
  .discriminatedUnion(
    'type',
    WEBHOOK_EVENT_TYPES.map((type) => envelope(type)) as unknown as [ReturnType<typeof envelope>, ...ReturnType<typeof envelope>[]],
  )
  .describe('An MQL handoff bot webhook delivery');

export type WebhookEvent = { [T in WebhookEventType]: { id: string; type: T; occurredAt: string; data: EventData<T> } }[WebhookEventType];
export type LeadObject = z.infer<typeof leadObject>;
export type HandoffObject = z.infer<typeof handoffObject>;
