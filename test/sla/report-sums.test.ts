import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HandoffEvent, ReportHandoff } from '../../db/queries/handoffs-reports.js';
import { parseBusinessHours, type BusinessHours } from '../../src/sla/business-hours.js';
import { AUTO_RELEASE_ACTOR } from '../../src/sla/holds.js';
import type { SlaPolicy } from '../../src/sla/policy.js';
import { periodFigures } from '../../src/sla/report.js';

const T0 = Date.parse('2026-11-23T00:00:00Z');
const HOUR = 3600_000;
const REPS = ['UREP1', 'UREP2', 'UREP3'];
const hours = parseBusinessHours('Mon-Fri 09:00-18:00') as BusinessHours;
const policy = (businessHours: boolean): SlaPolicy => ({
  claimSlaMs: 15 * 60_000,
  decisionSlaMs: HOUR,
  calendar: { businessHours: businessHours ? hours : null, timeZone: 'UTC' },
  autoRelease: true,
});

const op = fc.record({
  kind: fc.constantFrom('claim', 'release', 'auto_release', 'reassign', 'accept', 'reject'),
  rep: fc.nat(REPS.length - 1),
  other: fc.nat(REPS.length - 1),
  gapMs: fc.integer({ min: 0, max: 8 * HOUR }),
});
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Random actions applied to a handoff where the rules allow them (claim only when unclaimed, decide only when held, nothing after a decision). */
function historyOf(postedAt: number, ops: Op[]) {
  const events: HandoffEvent[] = [];
  let at = postedAt;
  let holder: string | null = null;
  for (const o of ops) {
    at += o.gapMs;
    const e = (action: HandoffEvent['action'], actor: string, extra: Partial<HandoffEvent> = {}) =>
      events.push({ action, actor, at: new Date(at), to: null, reason: null, ...extra });
    const rep = REPS[o.rep]!;
    if (o.kind === 'claim' && !holder) {
      e('claim', rep);
      holder = rep;
    } else if (o.kind === 'reassign' && holder !== REPS[o.other]) {
      e('reassign', 'UMANAGER', { to: REPS[o.other]! });
      holder = REPS[o.other]!;
    } else if (holder && (o.kind === 'release' || o.kind === 'auto_release')) {
      e('release', o.kind === 'release' ? holder : AUTO_RELEASE_ACTOR);
      holder = null;
    } else if (holder && (o.kind === 'accept' || o.kind === 'reject')) {
      e(o.kind, holder, o.kind === 'reject' ? { reason: 'no_budget' } : {});
      break;
    }
  }
  return events;
}

const handoffArb = fc.record({ postedMs: fc.integer({ min: 0, max: 48 * HOUR }), ops: fc.array(op, { maxLength: 12 }) });

function toHandoffs(generated: Array<{ postedMs: number; ops: Op[] }>): ReportHandoff[] {
  return generated.map((g, i) => ({
    id: i + 1,
    postedAt: new Date(T0 + g.postedMs),
    claimableSince: null,
    claimedBy: null,
    claimedAt: null,
    decision: null,
    channel: 'CSALES',
    messageTs: `1.${i}`,
    leadName: `Lead ${i}`,
    leadEmail: null,
    leadCompany: null,
    leadExternalId: `x-${i}`,
    events: historyOf(T0 + g.postedMs, g.ops),
  }));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('period figures over generated histories', () => {
  it('per-rep claims, decisions and decision SLA misses add up to the totals', () => {
    fc.assert(
      fc.property(
        fc.array(handoffArb, { maxLength: 10 }),
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        (generated, toHours, businessHours) => {
          const all = toHandoffs(generated);
          const to = new Date(T0 + toHours * HOUR);
          const f = periodFigures(all, new Date(T0), to, policy(businessHours));
          expect(sum(f.reps.map((r) => r.claimed))).toBe(f.claims);
          expect(sum(f.reps.map((r) => r.assigned))).toBe(f.assigned);
          expect(sum(f.reps.map((r) => r.accepted + r.rejected))).toBe(f.accepted + f.rejected);
          expect(sum(f.reps.map((r) => r.decisionMisses))).toBe(f.decisionMisses);

          // The totals are what happened before `to` to the MQLs posted before it.
          const seen = all.filter((h) => h.postedAt < to).flatMap((h) => h.events.filter((e) => e.at < to));
          const count = (pred: (e: HandoffEvent) => boolean) => seen.filter(pred).length;
          expect(f.claims).toBe(count((e) => e.action === 'claim'));
          expect(f.accepted + f.rejected).toBe(count((e) => e.action === 'accept' || e.action === 'reject'));
          // Every auto-release is a miss for its holder, and no hold misses twice.
          expect(f.decisionMisses).toBeGreaterThanOrEqual(count((e) => e.actor === AUTO_RELEASE_ACTOR));
          expect(f.decisionMisses).toBeLessThanOrEqual(f.claims + f.assigned);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts an auto-release as a decision SLA miss for the holder, and credits each claim to its claimer', () => {
    const event = (action: HandoffEvent['action'], actor: string, h: number): HandoffEvent => ({
      action,
      actor,
      at: new Date(T0 + h * HOUR),
      to: null,
      reason: null,
    });
    const [handoff] = toHandoffs([{ postedMs: 0, ops: [] }]);
    handoff!.events = [
      event('claim', 'UREP1', 0.1),
      event('release', AUTO_RELEASE_ACTOR, 3.2),
      event('claim', 'UREP2', 3.3),
      event('accept', 'UREP2', 3.5),
    ];
    const f = periodFigures([handoff!], new Date(T0), new Date(T0 + 4 * HOUR), policy(false));
    expect(f).toMatchObject({ claims: 2, leadsClaimed: 1, accepted: 1, decisionWithinSla: 50, decisionMisses: 1 });
    expect(f.reps.map((r) => [r.rep, r.claimed, r.accepted, r.decisionMisses])).toEqual([
      ['UREP1', 1, 0, 1],
      ['UREP2', 1, 1, 0],
    ]);
  });
});
