import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { BacktestReport, RuleEffect } from '../scoring/backtest-report.js';
import { backtestActiveCriteria } from '../scoring/criteria-service.js';
import { parseChanges } from '../scoring/change-syntax.js';
import { ruleSyntax } from '../scoring/rule-syntax.js';
import { tokenize } from '../scoring/rule-tokens.js';
import { HttpError, requireBearer, sendJson } from './respond.js';
import { route, type RouteRequest } from './route.js';

const CHANGES_FORM = 'changes=add <field> <op> <value> <points> [as "label"]; remove <id>; threshold <n>';

function present(effect: RuleEffect) {
  const { rule, hits, hitsWithOutcome, hitsPositive, moved, direction, conversionRate } = effect;
  return {
    ...rule,
    id: rule.id > 0 ? rule.id : null,
    syntax: ruleSyntax(rule),
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

/**
 * `GET /api/criteria/backtest[?changes=…]`: the `/mql criteria test` figures as JSON. Trial changes use the
 * slash command's syntax (`threshold 35; remove 7`); nothing is saved.
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
  ];
}
