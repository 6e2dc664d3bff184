import type { Deps } from '../deps.js';
import { claimJobRun } from '../../db/queries/job-runs.js';
import { listReportHandoffs, listUnpostedLeads } from '../../db/queries/handoffs-reports.js';
import { listOffersMade } from '../../db/queries/offer-figures.js';
import { loadFunnel } from '../funnel/load.js';
import { routingFigures } from '../routing/figures.js';
import { channelMessage, queueMessages } from '../outbox/messages.js';
import { digestBlocks, digestFallbackText, FUNNEL_DAYS, type Digest } from './digest-blocks.js';
import { openLeadCounts, periodFigures, rememberingElapsed, stalledLeads } from './report.js';
import { slaPolicyOf } from './policy.js';

const DAY = 24 * 3600_000;

export function localDateLabel(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(instant);
}

/** Gathers the digest's figures at `now`: a few queries, the rest is pure arithmetic. */
export async function buildDigest(deps: Deps, now: Date, late: Digest['late'] = null): Promise<Digest> {
  const policy = slaPolicyOf(deps.config.sla);
  const db = deps.database.db;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const handoffs = await listReportHandoffs(db, ago(14));
  const end = new Date(now.getTime() + 1);
  const elapsed = rememberingElapsed(policy);
  return {
    dateLabel: localDateLabel(now, deps.config.digest.timeZone),
    late,
    open: openLeadCounts(handoffs),
    stalled: stalledLeads(handoffs, now, policy),
    unposted: await listUnpostedLeads(db),
    lastDay: periodFigures(handoffs, ago(1), end, policy, elapsed),
    dayBefore: periodFigures(handoffs, ago(2), ago(1), policy, elapsed),
    lastWeek: periodFigures(handoffs, ago(7), end, policy, elapsed),
    weekBefore: periodFigures(handoffs, ago(14), ago(7), policy, elapsed),
    routing: routingFigures(await listOffersMade(db, ago(1), end)),
    funnel: await loadFunnel(db, ago(FUNNEL_DAYS), end, 'version'),
    claimSlaMs: policy.claimSlaMs,
    decisionSlaMs: policy.decisionSlaMs,
  };
}

/**
 * Posts the digest for a schedule slot at most once across replicas and restarts: the job_runs row and
 * the outbox message are written in one transaction, and the outbox delivers it.
 */
export async function postDigest(deps: Deps, now: Date, slot: string, late: Digest['late'] = null): Promise<'posted' | 'already posted'> {
  const digest = await buildDigest(deps, now, late);
  const posted = await deps.database.db.transaction(async (tx) => {
    if (!(await claimJobRun(tx, 'digest', slot, now, { late: Boolean(late), stalled: digest.stalled.length }))) return false;
    const message = { channel: deps.config.slack.digestChannel, text: digestFallbackText(digest), blocks: digestBlocks(digest) };
    await queueMessages(tx, [channelMessage(message, `digest:${slot}`)], now);
    return true;
  });
  if (posted) deps.wakeOutbox();
  return posted ? 'posted' : 'already posted';
}
