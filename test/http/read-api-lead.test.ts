/*
 * GET /api/leads/:externalId?source=: what a CRM sees of one lead — its score split into fit and engagement,
 * every handoff with what happened to it (claims, releases, the rejection), its offers, and its CRM outcomes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handoffs, leadOutcomes } from '../../db/schema.js';
import type { TestDatabase } from '../helpers/db.js';
import { seedOffer } from '../helpers/seed.js';
import { useTestApp } from '../helpers/use-test-app.js';
import type { TestApp } from '../../harness/app.js';
import { drain, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { applyHandoffAction, type HandoffCommand } from '../../src/handoff/service.js';

const start = Date.parse('2026-11-23T10:00:00Z');
let clock = new Date(start);
const at = (minutes: number) => new Date(start + minutes * 60_000);

const app = useTestApp({ now: () => clock, resetBeforeEach: true });
let t: TestApp;
let database: TestDatabase;
beforeAll(() => {
  ({ t, database } = app);
});

/** A lead that qualified on a form (engagement 30) as a C-level person (fit 20), posted at minute 0. */
async function postedLead(externalId: string) {
  clock = at(0);
  const lead = await qualifyLead(t, externalId, { title: 'Chief Technology Officer', email: 'ada@acme.example' });
  await drain(t, clock);
  const [handoff] = await handoffsOf(database, lead.id);
  return { leadId: lead.id, handoffId: Number(handoff!.id) };
}

async function act(handoffId: number, userId: string, command: HandoffCommand, minutes: number) {
  clock = at(minutes);
  const outcome = await applyHandoffAction(t.app.deps, {
    handoffId,
    actor: { userId, isManager: userId === 'UMANAGER' },
    command,
    now: clock,
  });
  expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
}

describe('GET /api/leads/:externalId', () => {
  it('shows the lead, its handoff with its history after claim, release and rejection, and its outcomes', async () => {
    const { leadId, handoffId } = await postedLead('r1');
    await act(handoffId, 'UREP1', { action: 'claim' }, 2);
    await act(handoffId, 'UREP1', { action: 'release' }, 3);
    await act(handoffId, 'UREP2', { action: 'claim' }, 4);
    await act(handoffId, 'UREP2', { action: 'reject', reason: 'no_budget', note: 'next year' }, 6);
    await database.db.insert(leadOutcomes).values([
      { leadId, stage: 'lost', amount: null, currency: null, occurredAt: at(60 * 24 * 5), reason: 'went with a competitor' },
      { leadId, stage: 'opportunity', amount: 12_500.5, currency: 'EUR', occurredAt: at(60 * 24), reason: null },
    ]);

    const res = await t.api('/api/leads/r1?source=web');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { lead, handoffs: shown, outcomes } = res.body;
    expect(lead).toMatchObject({
      source: 'web',
      externalId: 'r1',
      email: 'ada@acme.example',
      title: 'Chief Technology Officer',
      score: 50,
      fit: 20,
      engagement: 30,
      stage: 'nurture',
      qualified: true,
      criteriaVersion: 1,
      lastActivityAt: '2026-11-23T09:00:00.000Z',
    });
    expect(lead.breakdown.map((r: { points: number; axis: string }) => [r.points, r.axis])).toEqual([
      [30, 'engagement'],
      [20, 'fit'],
    ]);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      id: handoffId,
      qualification: 1,
      state: 'rejected',
      claimedBy: 'UREP2',
      decision: 'rejected',
      reasonCode: 'no_budget',
      note: 'next year',
      decidedBy: 'UREP2',
      decidedAt: at(6).toISOString(),
      updatedAt: at(6).toISOString(),
    });
    // Every action, who and when; the history keeps what the post shows of the past (the release).
    expect(shown[0].actions).toEqual([
      { at: at(2).toISOString(), action: 'handoff.claim', actor: 'UREP1', from: 'unclaimed', to: 'claimed' },
      { at: at(3).toISOString(), action: 'handoff.release', actor: 'UREP1', from: 'claimed', to: 'unclaimed' },
      { at: at(4).toISOString(), action: 'handoff.claim', actor: 'UREP2', from: 'unclaimed', to: 'claimed' },
      { at: at(6).toISOString(), action: 'handoff.reject', actor: 'UREP2', from: 'claimed', to: 'rejected' },
    ]);
    expect(shown[0].history).toEqual([
      expect.objectContaining({ kind: 'released', by: 'UREP1', holder: 'UREP1', at: at(3).toISOString() }),
    ]);
    expect(shown[0].offers).toBeUndefined();
    // In the order they happened, not the order they were recorded.
    expect(outcomes).toEqual([
      { stage: 'opportunity', amount: 12_500.5, currency: 'EUR', occurredAt: at(60 * 24).toISOString(), reason: null },
      { stage: 'lost', amount: null, currency: null, occurredAt: at(60 * 24 * 5).toISOString(), reason: 'went with a competitor' },
    ]);
  });

  it('lists every handoff of a lead that qualified again, oldest first, with the offers each one had', async () => {
    const { leadId, handoffId } = await postedLead('r2');
    await act(handoffId, 'UREP1', { action: 'claim' }, 1);
    await act(handoffId, 'UREP1', { action: 'reject', reason: 'no_timing', note: null }, 2);
    const [second] = await database.db
      .insert(handoffs)
      .values({ leadId, qualification: 2, score: 60, threshold: 30, criteriaVersion: 1, createdAt: at(90), updatedAt: at(90) })
      .returning({ id: handoffs.id });
    await seedOffer(database, { handoffId: second!.id, userId: 'UREP3', status: 'passed', offeredAt: at(91), answeredAt: at(92) });

    const res = await t.api('/api/leads/r2?source=web');
    expect(res.body.handoffs.map((h: any) => [h.qualification, h.state, h.score])).toEqual([
      [1, 'rejected', 50],
      [2, 'unclaimed', 60],
    ]);
    expect(res.body.handoffs[1].offers).toEqual([
      expect.objectContaining({ userId: 'UREP3', status: 'passed', offeredAt: at(91).toISOString(), answeredAt: at(92).toISOString() }),
    ]);
    expect(res.body.outcomes).toEqual([]);
  });

  it('splits a score stored before reasons carried their axis by its rules, and says null when a rule is unknown', async () => {
    await postedLead('r3');
    await rows(database, `update leads set score_breakdown = (select jsonb_agg(r - 'axis') from jsonb_array_elements(score_breakdown) r)`);
    expect((await t.api('/api/leads/r3?source=web')).body.lead).toMatchObject({ fit: 20, engagement: 30, score: 50 });

    await rows(database, `update leads set score_breakdown = score_breakdown || '[{"ruleId": 999999, "points": 5, "reason": "gone"}]'`);
    expect((await t.api('/api/leads/r3?source=web')).body.lead).toMatchObject({ fit: null, engagement: null, score: 50 });
  });

  it('answers 404 for an unknown lead, 400 without a source, 401 without the token', async () => {
    await postedLead('r4');
    const unknown = await t.api('/api/leads/r4?source=crm');
    expect(unknown).toEqual({ status: 404, body: { error: 'no lead with source "crm" and externalId "r4"' } });

    const noSource = await t.api('/api/leads/r4');
    expect(noSource.status).toBe(400);
    expect(noSource.body.fields).toEqual([{ path: 'query.source', message: expect.stringMatching(/required/) }]);
    expect((await t.api('/api/leads/r4?source=%00web')).body.fields).toEqual([
      { path: 'query.source', message: expect.stringMatching(/NUL/) },
    ]);

    expect((await t.api('/api/leads/r4?source=web', undefined, { token: null })).status).toBe(401);
    expect((await t.api('/api/leads/r4?source=web', undefined, { token: 'wrong-token-wrong-token-' })).status).toBe(401);
  });
});
