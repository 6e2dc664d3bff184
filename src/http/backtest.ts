import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { BacktestReport, RuleEffect } from '../scoring/backtest-report.js';
import { activeCriteriaInsights, backtestActiveCriteria } from '../scoring/criteria-service.js';
import { FLAG_TEXT, type Insights, type RuleInsight } from '../scoring/insights.js';
import type { Rule } from '../scoring/types.js';
import { parseChanges } from '../scoring/change-syntax.js';
import { ruleSyntax } from '../scoring/rule-syntax.js';
import { tokenize } from '../scoring/rule-tokens.js';
import { HttpError, requireBearer, sendJson } from './respond.js';
import { route, type RouteRequest } from './route.js';

const CHANGES_FORM =
  'changes=add <field> [in <duration>] <op> <value> <points> [fit|engagement] [as "label"]; remove <id>; threshold <n>; qualify fit >= <n> and engagement >= <n>; decay <off|30d|window 90d>';

/** A rule as the API shows it: its fields, its id (null for a trial rule) and its syntax. */
const presentRule = (rule: Rule) => ({ ...rule, id: rule.id > 0 ? rule.id : null, syntax: ruleSyntax(rule) });

function present(effect: RuleEffect) {
  const { rule, hits, hitsWithOutcome, hitsPositive, moved, direction, conversionRate } = effect;
  return {
    ...presentRule(rule),
    hits,
    hitsWithOutcome,
    hitsPositive,
    conversionRate,
    moved,
    direction,
  };
}

function body(report: BacktestReport) {
  const { rules, topRules, ...figures } = report;
  return { ...figures, topRules: topRules.map(present), rules: rules.map(present) };
}

function presentInsight({ rule, flags, ...figures }: RuleInsight) {
  return { ...presentRule(rule), ...figures, flags: flags.map((flag) => ({ flag, text: FLAG_TEXT[flag] })) };
}

function insightsBody(insights: Insights) {
  const { rules, sweeps, ...figures } = insights;
  return {
    ...figures,
    rules: rules.map(presentInsight),
    sweeps,
    bestF1: sweeps.map(({ on, fixed, bestF1 }) => (bestF1 ? { on, fixed, ...bestF1 } : null)),
  };
}

/**
 * `GET /api/criteria/backtest[?changes=…]`: the `/mql criteria test` figures as JSON. Trial changes use the
 * slash command's syntax (`threshold 35; remove 7`); nothing is saved.
 * `GET /api/criteria/insights`: the `/mql criteria insights` figures as JSON: per active rule its matches,
 * conversion in and out, lift, leads it alone moves and flags; the sweep of the line and its best F1.
 */
export function backtestRoutes(deps: Deps): CustomRoute[] {
  return [
    route(deps, 'GET', '/api/criteria/backtest', async (req: RouteRequest, res) => {
      requireBearer(req, deps.config.leadApiToken);
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const tokens = tokenize(query.getAll('changes').join(' ; '));
      const changes = tokens.ok ? parseChanges(tokens.value) : tokens;
      if (!changes.ok) throw new HttpError(400, { error: `changes: ${changes.error}`, form: CHANGES_FORM });
      const result = await backtestActiveCriteria(deps.database.db, changes.value, deps.now());
      if (!result.ok) throw new HttpError(400, { error: `changes: ${result.error}`, form: CHANGES_FORM });
      sendJson(res, 200, {
        ...body(result.report),
        criteriaVersion: result.active.version,
        changes: changes.value,
        ms: Math.round(result.ms),
      });
    }),
    route(deps, 'GET', '/api/criteria/insights', async (req: RouteRequest, res) => {
      requireBearer(req, deps.config.leadApiToken);
      const { insights, ms } = await activeCriteriaInsights(deps.database.db, deps.now());
      sendJson(res, 200, { ...insightsBody(insights), ms: Math.round(ms) });
    }),
  ];
}
