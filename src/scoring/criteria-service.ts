/*
 * Criteria where they meet the database: changes made as new versions, and backtests over the stored
 * leads. The decisions are the pure functions of changes.ts and backtest.ts; db/queries only read and write.
 */
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { countHitGroups, hitsPerLead, inBacktestSnapshot, storedEventTypes, type HitScan } from '../../db/queries/leads-backtest.js';
import { distinctProjections, keysOfLeadsLacking, type KeyLists } from '../../db/queries/leads-projection.js';
import {
  findActiveCriteriaVersion,
  getActiveCriteria,
  insertCriteriaVersion,
  insertRules,
  lockCriteria,
  reactivateRules,
  retireRule,
  type CriteriaVersion,
} from '../../db/queries/criteria.js';
import { caseVariantKeys, matchingProjections, planBacktest, textReadingSuffices, type BacktestPlan } from './backtest.js';
import { countGroups, judgeBy, type BacktestCounts, type BacktestInput } from './backtest-counts.js';
import { summarize, type BacktestReport } from './backtest-report.js';
import { decayOf, minimumsOf, type AxisTotals } from './axes.js';
import { applyChange, applyTrialChanges, describeChange, tryChange } from './changes.js';
import { insightsOf, type Insights } from './insights.js';
import type { Criteria, CriteriaChange } from './types.js';

export type SavedCriteriaChange = { ok: true; before: CriteriaVersion; after: CriteriaVersion } | { ok: false; error: string };

/** The rule rows a version's rules need: new ones stored, dropped ones retired, ones a revert brings back active again. */
async function storeRuleChanges(tx: DbOrTx, before: Criteria, change: CriteriaChange, version: number): Promise<number> {
  if (change.kind === 'add') return (await insertRules(tx, [change.rule], version))[0]!.id;
  const after =
    change.kind === 'revert' ? change.to.rules : change.kind === 'remove' ? before.rules.filter((r) => r.id !== change.ruleId) : null;
  if (!after) return 0;
  const kept = new Set(after.map((r) => r.id));
  const had = new Set(before.rules.map((r) => r.id));
  for (const rule of before.rules) if (!kept.has(rule.id)) await retireRule(tx, rule.id, version);
  await reactivateRules(
    tx,
    after.filter((r) => !had.has(r.id)).map((r) => r.id),
  );
  return 0;
}

/**
 * Makes one change as a new criteria version (rules, qualifying rule, decay, who, when, what changed) and audits
 * it. Two marketers changing at once are serialised by the lock, so each change builds on the one before it and
 * gets its own version number. A change that cannot be made (unknown rule id, nothing to change, a duplicate
 * rule, a line no lead could reach) is returned as an error and writes nothing. `expectedVersion`, when given,
 * must still be the active version (a confirmation saves exactly what was previewed).
 */
export async function saveCriteriaChange(
  db: Db,
  change: CriteriaChange,
  actor: string,
  now: Date,
  expectedVersion?: number,
): Promise<SavedCriteriaChange> {
  return db.transaction(async (tx) => {
    await lockCriteria(tx);
    const before = await findActiveCriteriaVersion(tx);
    if (!before) throw new Error('no criteria version exists; seedCriteriaIfEmpty runs at start-up');
    if (expectedVersion !== undefined && before.version !== expectedVersion) {
      return { ok: false, error: `the criteria changed since (version ${expectedVersion} → ${before.version}, by ${before.createdBy})` };
    }
    const tried = tryChange(before, change, 0);
    if (!tried.ok) return tried;

    const version = before.version + 1;
    const addedId = await storeRuleChanges(tx, before, change, version);
    const next = applyChange(before, change, addedId);
    const lines = describeChange(before, next);
    const description = (change.kind === 'revert' ? [`revert to version ${change.to.version}`, ...lines] : lines).join('; ');
    const after: CriteriaVersion = {
      version,
      threshold: next.threshold,
      minimums: minimumsOf(next),
      decay: decayOf(next),
      rules: next.rules,
      change: description,
      createdBy: actor,
      createdAt: now,
    };
    await insertCriteriaVersion(tx, after);
    await recordAudit(
      tx,
      [
        {
          actor,
          action: 'criteria.changed',
          entity: 'criteria',
          entityId: version,
          fromState: String(before.version),
          toState: String(version),
          details: { change: description, ...(change.kind === 'revert' && { revertedTo: change.to.version }) },
        },
      ],
      now,
    );
    return { ok: true, before, after };
  });
}

/** The plan of a backtest of the criteria sets at `now`, and the scan that evaluates it over the stored leads. */
async function prepareScan(tx: DbOrTx, criteriaSets: Criteria[], now: Date): Promise<{ plan: BacktestPlan; scan: HitScan }> {
  let plan = planBacktest(criteriaSets, []);
  if (plan.fields.some((f) => f.source.kind === 'events')) plan = planBacktest(criteriaSets, await storedEventTypes(tx));
  const all = plan.fields.map((_, i) => i);
  // Attributes are read as text first (about 3× cheaper than as JSON); most rules judge "674" and 674 alike.
  const fields = plan.fields.map((f) => ({ ...f, asText: f.source.kind === 'attribute' }));
  const projection = { fields, now, keys: new Map() as KeyLists };
  const values = await distinctProjections(tx, projection, all);

  const asJson = new Set<number>();
  // null for an attribute read as text: some lead may lack the exact key, and score.ts would try its case variants.
  const lacking = all.filter((i) => fields[i]!.asText && values.get(i)!.includes(null));
  if (lacking.length) {
    const nameOf = (i: number) => (fields[i]!.source as { name: string }).name;
    const stored = await keysOfLeadsLacking(tx, lacking.map(nameOf));
    for (const i of lacking) {
      const variants = caseVariantKeys(nameOf(i), stored);
      if (variants.length === 0) continue;
      projection.keys.set(i, [nameOf(i), ...variants]);
      asJson.add(i);
    }
  }
  // A field with a value some rule judges by its JSON type ("true" or true) is read again, as JSON.
  const rulesOf = (i: number) => plan.rules.filter((r) => r.field === i).map((r) => r.rule);
  for (const i of all) if (fields[i]!.asText && !textReadingSuffices(rulesOf(i), values.get(i)!)) asJson.add(i);
  for (const i of asJson) fields[i]!.asText = false;
  for (const [i, v] of await distinctProjections(tx, projection, [...asJson])) values.set(i, v);

  const seen = all.map((i) => values.get(i)!);
  const rules = plan.rules.map(({ rule, field }) => ({
    field,
    matching: matchingProjections(rule, fields[field]!.source, seen[field]!, fields[field]!.asText),
  }));
  return { plan, scan: { ...projection, values: seen, rules, evidence: plan.evidence, ageBounds: plan.ageBounds } };
}

/**
 * Evaluates both criteria sets at `now` over every stored lead and compares them: qualification, conversion
 * against known outcomes, what each rule of the candidate does, and the sweep of the candidate's line.
 */
export async function backtestReport(db: DbOrTx, input: BacktestInput): Promise<BacktestReport> {
  const counts = await backtestCounts(db, input);
  return summarize(counts, input.candidate, input.baseline);
}

/** The backtest's counts: one pass over the stored leads (the report and the insights are made from them). */
export async function backtestCounts(db: DbOrTx, input: BacktestInput): Promise<BacktestCounts> {
  return inBacktestSnapshot(db, async (tx) => {
    const { plan, scan } = await prepareScan(tx, [input.candidate, input.baseline], input.now);
    return countGroups(plan, await countHitGroups(tx, scan), input);
  });
}

/** Every stored lead's scores and verdict under `criteria` at `now`, computed the backtest's way (tests check it against score()). */
export async function backtestTotals(db: DbOrTx, criteria: Criteria, now: Date): Promise<Map<number, AxisTotals & { qualified: boolean }>> {
  return inBacktestSnapshot(db, async (tx) => {
    const { plan, scan } = await prepareScan(tx, [criteria], now);
    const judge = judgeBy(plan, criteria);
    const leads = await hitsPerLead(tx, scan);
    return new Map(
      [...leads].map(([id, lead]) => {
        const { totals, qualified } = judge(lead);
        return [id, { ...totals, qualified }];
      }),
    );
  });
}

export type ActiveBacktest =
  | { ok: true; report: BacktestReport; active: Criteria; candidate: Criteria; ms: number }
  | { ok: false; error: string };

/** Backtests the active criteria at `now`, with trial changes made in memory (nothing is saved). */
export async function backtestActiveCriteria(db: DbOrTx, changes: CriteriaChange[], now: Date): Promise<ActiveBacktest> {
  const started = performance.now();
  const active = await getActiveCriteria(db);
  const trial = applyTrialChanges(active, changes);
  if (!trial.ok) return trial;
  const report = await backtestReport(db, { candidate: trial.criteria, baseline: active, now });
  return { ok: true, report, active, candidate: trial.criteria, ms: performance.now() - started };
}

/** Evidence for every active rule at `now`, from one backtest of the active criteria against themselves. */
export async function activeCriteriaInsights(db: DbOrTx, now: Date): Promise<{ insights: Insights; ms: number }> {
  const started = performance.now();
  const active = await getActiveCriteria(db);
  const counts = await backtestCounts(db, { candidate: active, baseline: active, now });
  return { insights: insightsOf(counts, active), ms: performance.now() - started };
}
