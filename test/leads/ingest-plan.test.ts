import { describe, expect, it } from 'vitest';
import type { AddedEvent, LeadRow } from '../../db/queries/leads.js';
import { planLeads, type BatchState } from '../../src/leads/ingest-plan.js';
import type { LeadInput } from '../../src/leads/input.js';
import { leadKey } from '../../src/leads/merge.js';
import { criteria, makeRule, NOW } from '../scoring/fixtures.js';

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const form = (h: number) => ({ type: 'form_submit', occurredAt: hoursAgo(h) });
const demo = (h: number) => ({ type: 'demo_request', occurredAt: hoursAgo(h) });
const click = (h: number) => ({ type: 'email_click', occurredAt: hoursAgo(h) });

// A form qualifies a lead on its own; a demo request adds to it; a click counts for nothing.
const CRITERIA = criteria([makeRule('events.form_submit', 'exists', null, 50), makeRule('events.demo_request', 'exists', null, 20)], 50);

function storedRow(overrides: Partial<LeadRow>): LeadRow {
  return {
    id: 7,
    source: 'web',
    externalId: 'ana',
    email: 'Ana@Example.com',
    emailKey: 'ana@example.com',
    name: 'Ana',
    company: null,
    title: null,
    country: null,
    attributes: {},
    score: 50,
    scoreBreakdown: [],
    criteriaVersion: 3,
    qualified: true,
    stage: 'lead',
    outcome: null,
    qualificationCount: 0,
    lastActivityAt: hoursAgo(48),
    crmStage: null,
    crmStageAt: null,
    rescoreDueAt: null,
    createdAt: hoursAgo(48),
    updatedAt: hoursAgo(48),
    ...overrides,
  };
}

/** One lead planned against its stored row (if any), the events it had and the events this call added. */
function planOne(
  input: LeadInput,
  stored: { row?: LeadRow; events?: Array<{ type: string; occurredAt: Date }>; added?: AddedEvent[] },
  options: { queuePosts?: boolean; outcome?: string } = {},
) {
  const id = stored.row?.id ?? 7;
  const state: BatchState = {
    stored: new Map(stored.row ? [[leadKey(input), stored.row]] : []),
    idByKey: new Map([[leadKey(input), id]]),
    storedEvents: new Map([[id, stored.events ?? []]]),
    addedEvents: new Map([[id, stored.added ?? []]]),
  };
  const outcomes = options.outcome ? new Map([[leadKey(input), options.outcome]]) : undefined;
  const [planned] = planLeads([input], state, CRITERIA, { now: NOW, queuePosts: options.queuePosts ?? true, ignorePlus: false, outcomes });
  return planned!;
}

const ana: LeadInput = { source: 'web', externalId: 'ana', email: 'Ana@Example.com' };
const added = (...events: Array<{ type: string; occurredAt: Date }>): AddedEvent[] => events.map((e) => ({ leadId: 7, ...e }));

describe('planning a batch before it is written', () => {
  it('a new lead: scored on the events this call added, its newest event its last activity, handed over when it qualifies', () => {
    const planned = planOne({ ...ana, events: [form(3), click(1)] }, { added: added(form(3), click(1)) });
    expect(planned).toMatchObject({
      changed: true,
      newActivity: true,
      wantsHandoff: true,
      emailKey: 'ana@example.com',
      lastActivityAt: hoursAgo(1),
    });
    expect(planned.result.total).toBe(50);
  });

  it('a stored lead sent again with an event it has: no change, no new activity, still scored on its stored events, not handed over', () => {
    const row = storedRow({});
    const planned = planOne({ ...ana, events: [form(48)] }, { row, events: [form(48)] });
    expect(planned).toMatchObject({ changed: false, newActivity: false, wantsHandoff: false, newEvents: [] });
    expect(planned.result.total).toBe(50);
    expect(planned.lastActivityAt).toEqual(hoursAgo(48));
  });

  it('a qualified lead never handed over (imported) is handed over when new activity arrives', () => {
    const row = storedRow({});
    const planned = planOne({ ...ana, events: [click(1)] }, { row, events: [form(48)], added: added(click(1)) });
    expect(planned).toMatchObject({ changed: false, newActivity: true, wantsHandoff: true });
  });

  it('a nurtured lead re-qualifies when its new events raise the score over what its stored events gave, not otherwise', () => {
    const row = storedRow({ stage: 'nurture' });
    const raised = planOne({ ...ana, events: [demo(1)] }, { row, events: [form(48)], added: added(demo(1)) });
    expect(raised.result.total).toBe(70);
    expect(raised.wantsHandoff).toBe(true);
    const same = planOne({ ...ana, events: [click(1)] }, { row, events: [form(48)], added: added(click(1)) });
    expect(same.wantsHandoff).toBe(false);
  });

  it('keeps the stored outcome unless the import brings one, and hands nothing over with posts off', () => {
    const row = storedRow({ outcome: 'converted', qualified: false, score: 0 });
    expect(planOne({ ...ana, events: [form(1)] }, { row, added: added(form(1)) }, { queuePosts: false })).toMatchObject({
      outcome: 'converted',
      wantsHandoff: false,
    });
    const imported = planOne(ana, { row }, { outcome: 'not_converted', queuePosts: false });
    expect(imported).toMatchObject({ outcome: 'not_converted', changed: true });
  });
});
