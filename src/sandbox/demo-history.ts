import type { Db } from '../../db/client.js';
import { insertPastHandoff } from '../../db/queries/demo-history.js';
import type { OutcomeStage } from '../../db/schema.js';
import type { IngestedLead } from '../leads/ingest.js';
import { recordOutcomes } from '../outcomes/record.js';
import { idsWithRole } from './people.js';

/*
 * The demo's past: a few leads handed to sales over the last weeks, decided by the reps, some of them later
 * reported by the CRM as opportunities, won or lost, so `/mql funnel`, `/mql stats` and the digest have a
 * history to show on a fresh sandbox.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Past {
  daysAgo: number;
  decideAfterHours: number;
  reject?: string;
  /** CRM outcomes, in days after the decision. */
  outcomes?: Array<[OutcomeStage, number]>;
}

const HISTORY: readonly Past[] = [
  {
    daysAgo: 24,
    decideAfterHours: 1,
    outcomes: [
      ['opportunity', 2],
      ['won', 12],
    ],
  },
  {
    daysAgo: 21,
    decideAfterHours: 3,
    outcomes: [
      ['opportunity', 4],
      ['lost', 10],
    ],
  },
  { daysAgo: 18, decideAfterHours: 2, reject: 'no_budget' },
  {
    daysAgo: 15,
    decideAfterHours: 0.5,
    outcomes: [
      ['opportunity', 3],
      ['won', 9],
    ],
  },
  { daysAgo: 12, decideAfterHours: 5 },
  { daysAgo: 9, decideAfterHours: 4, reject: 'not_a_fit' },
  { daysAgo: 6, decideAfterHours: 2, outcomes: [['opportunity', 1]] },
  { daysAgo: 3, decideAfterHours: 1 },
];

/** Gives the first few of these leads a past as MQLs (one per entry of HISTORY); returns how many. */
export async function loadDemoHistory(db: Db, candidates: readonly IngestedLead[], now: Date): Promise<number> {
  const reps = idsWithRole('rep');
  const past = HISTORY.slice(0, candidates.length);
  const outcomes = [];
  for (const [i, p] of past.entries()) {
    const lead = candidates[i]!;
    const createdAt = new Date(now.getTime() - p.daysAgo * DAY);
    const decidedAt = new Date(createdAt.getTime() + p.decideAfterHours * HOUR);
    await db.transaction((tx) =>
      insertPastHandoff(tx, {
        leadId: lead.id,
        score: lead.score,
        threshold: lead.threshold,
        criteriaVersion: lead.criteriaVersion,
        createdAt,
        rep: reps[i % reps.length]!,
        claimedAt: new Date(createdAt.getTime() + 10 * 60_000),
        decision: p.reject ? 'rejected' : 'accepted',
        reasonCode: p.reject ?? null,
        decidedAt,
      }),
    );
    for (const [stage, days] of p.outcomes ?? []) {
      outcomes.push({ source: lead.source, externalId: lead.externalId, stage, occurredAt: new Date(decidedAt.getTime() + days * DAY) });
    }
  }
  if (outcomes.length) await recordOutcomes(db, outcomes, now, 'sandbox');
  return past.length;
}
