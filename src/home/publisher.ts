/*
 * Builds a user's App Home from the database and publishes it. The backtest behind the marketer's part
 * reads every stored lead (about a second on 9,240 leads), so its summary is kept per criteria version:
 * a version never changes, and a new one replaces the kept summary.
 */
import { backtestLines, versionLine } from '../../commands/format.js';
import { findActiveCriteriaVersion } from '../../db/queries/criteria.js';
import { listHandoffsForHome, listOffersForHome } from '../../db/queries/home.js';
import { listAwayReps } from '../../db/queries/rep-away.js';
import type { Deps } from '../deps.js';
import { decayText, qualifyingRuleText } from '../scoring/axes.js';
import { backtestReport } from '../scoring/criteria-service.js';
import { slaPolicyOf } from '../sla/policy.js';
import { homeView, type CriteriaSummary, type HomeContent } from './blocks.js';
import { repHome, startOfDay, teamHome } from './model.js';

export interface HomePublisher {
  /** Publishes `user`'s Home as it is now. Throws what Slack or the database threw. */
  publish(user: string): Promise<void>;
  /** Whether this process has published `user`'s Home (they have opened it since the bot started). */
  hasPublished(user: string): boolean;
}

export function createHomePublisher(deps: Deps): HomePublisher {
  const published = new Set<string>();
  // Kept per criteria version and UTC day: with decay the figures change as leads age, a day at a time.
  let kept: { version: number; day: string; backtest: Promise<CriteriaSummary['backtest']> } | null = null;

  async function criteriaSummary(): Promise<CriteriaSummary | undefined> {
    const active = await findActiveCriteriaVersion(deps.database.db);
    if (!active) return undefined;
    const now = deps.now();
    const day = now.toISOString().slice(0, 10);
    if (kept?.version !== active.version || kept.day !== day) {
      const backtest = backtestReport(deps.database.db, { candidate: active, baseline: active, now }).then(
        (report) => ({ lines: backtestLines(report, false) }),
        (error: unknown) => {
          deps.logger.error({ err: error, version: active.version }, 'backtest for the App Home failed');
          kept = null; // tried again at the next open
          return { error: 'the backtest failed; it has been logged and is tried again when you next open Home' };
        },
      );
      kept = { version: active.version, day, backtest };
    }
    return {
      version: active.version,
      qualifyingRule: qualifyingRuleText(active),
      decay: decayText(active.decay),
      rules: active.rules.length,
      changedLine: versionLine(active),
      backtest: await kept.backtest,
    };
  }

  async function content(user: string): Promise<HomeContent> {
    const now = deps.now();
    const policy = slaPolicyOf(deps.config.sla);
    const [isManager, isMarketer] = await Promise.all([deps.roles.has(user, 'manager'), deps.roles.has(user, 'marketer')]);
    const db = deps.database.db;
    const dayStart = startOfDay(now, policy.calendar.timeZone);
    const all = await listHandoffsForHome(db, dayStart);
    const routing = { offers: await listOffersForHome(db, dayStart), away: await listAwayReps(db, now) };
    return {
      now,
      rep: repHome(all, user, now, policy, routing),
      team: isManager
        ? { ...teamHome(all, now, policy, routing), claimSlaMs: policy.claimSlaMs, decisionSlaMs: policy.decisionSlaMs }
        : undefined,
      criteria: isMarketer ? await criteriaSummary() : undefined,
    };
  }

  return {
    async publish(user) {
      const view = homeView(await deps.work.run(user, () => content(user)));
      await deps.slack.views.publish({ user_id: user, view });
      published.add(user);
    },
    hasPublished: (user) => published.has(user),
  };
}
