/** The funnel's figures checked exactly on generated histories whose stages and spans are known by construction. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandoffDecision, OutcomeStage } from '../../db/schema.js';
import { FUNNEL_GROUPINGS, funnelOf, type FunnelGrouping, type FunnelHandoff, type FunnelOutcome } from '../../src/funnel/funnel.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const START = Date.parse('2026-10-01T00:00:00Z');

/** How far one MQL got, as planned: the rows are built from this, the expected figures too. */
interface Plan {
  version: number;
  source: string;
  claimedBy: string | null;
  decidedBy: string | null;
  route: string | null;
  /** none: no CRM outcome; sql: accepted by the rep only; opp / lost / won: the CRM's last word. */
  reached: 'none' | 'sql' | 'opp' | 'lost' | 'won';
  repAccepted: boolean;
  /** Otherwise (not accepted): what the rep did, if anything. */
  otherDecision: Exclude<HandoffDecision, 'accepted'> | null;
  /** Minutes from the MQL to the rep's decision. */
  decideAfter: number;
  /** Minutes from the MQL to the first CRM outcome (may come before the rep's decision: a negative span). */
  outcomeAfter: number;
  /** Lost and won: whether an `opportunity` row came first, and the minutes from it to the final stage. */
  withOpportunityRow: boolean;
  closeAfter: number;
  /** An outcome dated before the MQL (the lead's past): belongs to no MQL. */
  staleOutcome: OutcomeStage | null;
}

const plan: fc.Arbitrary<Plan> = fc.record({
  version: fc.constantFrom(4, 5, 12),
  source: fc.constantFrom('web', 'ads', 'event'),
  claimedBy: fc.constantFrom('UANA', 'UBEN', null),
  decidedBy: fc.constantFrom('UANA', 'UCY', null),
  route: fc.constantFrom(null, 'emea', 'enterprise'),
  reached: fc.constantFrom('none', 'sql', 'opp', 'lost', 'won'),
  repAccepted: fc.boolean(),
  otherDecision: fc.constantFrom(null, 'rejected', 'released', 'expired'),
  decideAfter: fc.integer({ min: 0, max: 5 * 24 * 60 }),
  outcomeAfter: fc.integer({ min: 0, max: 10 * 24 * 60 }),
  withOpportunityRow: fc.boolean(),
  closeAfter: fc.integer({ min: 0, max: 20 * 24 * 60 }),
  staleOutcome: fc.constantFrom(null, 'opportunity', 'won', 'lost'),
});

/** A lead qualifies once or twice (60 days apart, longer than any planned history). */
const histories = fc.array(fc.array(plan, { minLength: 1, maxLength: 2 }), { minLength: 0, maxLength: 40 });

interface Expected {
  accepted: boolean;
  opportunity: boolean;
  won: boolean;
  toSql: number | null;
  toOpportunity: number | null;
  toWon: number | null;
}

function build(leads: Plan[][]) {
  const handoffs: FunnelHandoff[] = [];
  const outcomes: FunnelOutcome[] = [];
  const expected: Array<{ handoff: FunnelHandoff; journey: Expected }> = [];
  leads.forEach((mqls, leadId) => {
    const opened = mqls.map((_, n) => START + leadId * 3 * 60 * MIN + n * 60 * DAY);
    mqls.forEach((p, n) => {
      // The rep accepts only where the plan says so; "sql" is the rep's acceptance alone.
      const accepted = p.reached === 'sql' || (p.reached !== 'none' && p.repAccepted);
      const decision: HandoffDecision | null = accepted ? 'accepted' : p.otherDecision;
      const at = (minutes: number) => new Date(opened[n]! + minutes * MIN);
      const handoff: FunnelHandoff = {
        leadId,
        createdAt: at(0),
        criteriaVersion: p.version,
        source: p.source,
        decision,
        decidedAt: decision ? at(p.decideAfter) : null,
        decidedBy: decision === 'accepted' || decision === 'rejected' ? p.decidedBy : null,
        claimedBy: p.claimedBy,
        routeName: p.route,
        nextCreatedAt: n + 1 < mqls.length ? new Date(opened[n + 1]!) : null,
      };
      handoffs.push(handoff);
      const outcome = (stage: OutcomeStage, minutes: number) => outcomes.push({ leadId, stage, occurredAt: at(minutes) });
      // Only before a lead's first MQL: a minute before its second is inside the first one's window.
      if (p.staleOutcome && n === 0) outcome(p.staleOutcome, -1);
      const crm = p.reached === 'opp' || p.reached === 'lost' || p.reached === 'won';
      const opportunityRow = p.reached === 'opp' || (crm && p.withOpportunityRow);
      if (opportunityRow) outcome('opportunity', p.outcomeAfter);
      if (p.reached === 'lost' || p.reached === 'won') {
        const closedAt = opportunityRow ? p.outcomeAfter + p.closeAfter : p.outcomeAfter;
        outcome(p.reached, closedAt);
      }
      // Where the CRM made it an SQL (the rep did not accept), the SQL step starts at the MQL.
      const fromSql = p.outcomeAfter - (accepted ? p.decideAfter : 0);
      expected.push({
        handoff,
        journey: {
          accepted: accepted || crm,
          opportunity: crm,
          won: p.reached === 'won',
          toSql: accepted ? p.decideAfter * MIN : null,
          toOpportunity: crm && fromSql >= 0 ? fromSql * MIN : null,
          toWon: p.reached === 'won' && opportunityRow ? p.closeAfter * MIN : null,
        },
      });
    });
  });
  // A lead that never qualified in the period: its outcomes are no MQL's.
  outcomes.push({ leadId: 10_000, stage: 'won', occurredAt: new Date(START) });
  return { handoffs, outcomes, expected };
}

const lowerMedian = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1]! : null);
const pct = (part: number, whole: number) => (whole ? Math.round((100 * part) / whole) : null);

function figures(journeys: Expected[]) {
  const mqls = journeys.length;
  const accepted = journeys.filter((j) => j.accepted).length;
  const opportunities = journeys.filter((j) => j.opportunity).length;
  const won = journeys.filter((j) => j.won).length;
  const spans = (pick: (j: Expected) => number | null) => journeys.map(pick).filter((v): v is number => v !== null);
  return {
    mqls,
    accepted,
    opportunities,
    won,
    rates: {
      mqlToSql: pct(accepted, mqls),
      sqlToOpportunity: pct(opportunities, accepted),
      opportunityToWon: pct(won, opportunities),
      mqlToWon: pct(won, mqls),
    },
    medianMs: {
      mqlToSql: lowerMedian(spans((j) => j.toSql)),
      sqlToOpportunity: lowerMedian(spans((j) => j.toOpportunity)),
      opportunityToWon: lowerMedian(spans((j) => j.toWon)),
    },
  };
}

const keyOf: Record<FunnelGrouping, (h: FunnelHandoff) => string> = {
  version: (h) => String(h.criteriaVersion),
  source: (h) => h.source,
  rep: (h) => h.decidedBy ?? h.claimedBy ?? 'nobody',
  route: (h) => h.routeName ?? 'default',
};

describe('the funnel of generated histories', () => {
  it('counts every stage, rate and median exactly, in total and per group', () => {
    fc.assert(
      fc.property(histories, fc.constantFrom(...FUNNEL_GROUPINGS), (leads, by) => {
        const { handoffs, outcomes, expected } = build(leads);
        const funnel = funnelOf(handoffs, outcomes, by);
        expect(funnel.total).toEqual(figures(expected.map((e) => e.journey)));
        const keys = [...new Set(expected.map((e) => keyOf[by](e.handoff)))];
        const groups = keys.map((key) => ({ key, ...figures(expected.filter((e) => keyOf[by](e.handoff) === key).map((e) => e.journey)) }));
        expect([...funnel.groups].sort((a, b) => a.key.localeCompare(b.key))).toEqual(groups.sort((a, b) => a.key.localeCompare(b.key)));
        // Stages are cumulative, and the groups add up to the total.
        for (const g of [funnel.total, ...funnel.groups])
          expect(g.mqls >= g.accepted && g.accepted >= g.opportunities && g.opportunities >= g.won).toBe(true);
        expect(funnel.groups.reduce((sum, g) => sum + g.won, 0)).toBe(funnel.total.won);
      }),
      { numRuns: 300 },
    );
  });

  it('lists versions newest first, other groups by most MQLs', () => {
    fc.assert(
      fc.property(histories, (leads) => {
        const { handoffs, outcomes } = build(leads);
        const versions = funnelOf(handoffs, outcomes, 'version').groups.map((g) => Number(g.key));
        expect(versions).toEqual([...versions].sort((a, b) => b - a));
        const sources = funnelOf(handoffs, outcomes, 'source').groups.map((g) => g.mqls);
        expect(sources).toEqual([...sources].sort((a, b) => b - a));
      }),
    );
  });
});

describe('a worked example', () => {
  const at = (day: number, hours = 0) => new Date(START + day * DAY + hours * 3600_000);
  const mql = (leadId: number, version: number, more: Partial<FunnelHandoff> = {}): FunnelHandoff => ({
    leadId,
    createdAt: at(leadId),
    criteriaVersion: version,
    source: 'web',
    decision: null,
    decidedAt: null,
    decidedBy: null,
    claimedBy: null,
    routeName: null,
    nextCreatedAt: null,
    ...more,
  });

  it('gives version 5 and version 4 their own funnels; a lost deal was an opportunity; a CRM outcome outranks a rejection', () => {
    const handoffs = [
      mql(1, 5, { decision: 'accepted', decidedAt: at(1, 2), decidedBy: 'UANA' }),
      mql(2, 5, { decision: 'accepted', decidedAt: at(2, 4), decidedBy: 'UANA' }),
      mql(3, 5, { decision: 'rejected', decidedAt: at(3, 1), decidedBy: 'UBEN' }),
      mql(4, 5),
      mql(5, 4, { decision: 'accepted', decidedAt: at(5, 6), decidedBy: 'UBEN' }),
      mql(6, 4),
    ];
    const outcomes: FunnelOutcome[] = [
      { leadId: 1, stage: 'opportunity', occurredAt: at(4, 2) },
      { leadId: 1, stage: 'won', occurredAt: at(14, 2) },
      { leadId: 2, stage: 'lost', occurredAt: at(12, 4) },
      // The CRM says lead 3 became an opportunity although the rep rejected it: it counts as an SQL.
      { leadId: 3, stage: 'opportunity', occurredAt: at(5) },
      // Before lead 6 qualified: not this MQL's.
      { leadId: 6, stage: 'won', occurredAt: at(5) },
    ];
    const funnel = funnelOf(handoffs, outcomes, 'version');
    expect(funnel.groups.map((g) => g.key)).toEqual(['5', '4']);
    const [v5, v4] = funnel.groups;
    expect(v5).toEqual({
      key: '5',
      mqls: 4,
      accepted: 3,
      opportunities: 3,
      won: 1,
      rates: { mqlToSql: 75, sqlToOpportunity: 100, opportunityToWon: 33, mqlToWon: 25 },
      // SQL→opportunity: 3 d (lead 1), 10 d (lead 2, lost), 2 d (lead 3, from its MQL): the median is 3 d.
      medianMs: { mqlToSql: 2 * 3600_000, sqlToOpportunity: 3 * DAY, opportunityToWon: 10 * DAY },
    });
    expect(v4).toMatchObject({ mqls: 2, accepted: 1, opportunities: 0, won: 0, rates: { sqlToOpportunity: 0, opportunityToWon: null } });
    expect(v4!.medianMs).toEqual({ mqlToSql: 6 * 3600_000, sqlToOpportunity: null, opportunityToWon: null });
  });

  it('is empty, with null rates, when nobody qualified', () => {
    expect(funnelOf([], [], 'rep')).toEqual({
      by: 'rep',
      total: {
        mqls: 0,
        accepted: 0,
        opportunities: 0,
        won: 0,
        rates: { mqlToSql: null, sqlToOpportunity: null, opportunityToWon: null, mqlToWon: null },
        medianMs: { mqlToSql: null, sqlToOpportunity: null, opportunityToWon: null },
      },
      groups: [],
    });
  });
});
