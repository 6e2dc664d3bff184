import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { queryRows } from '../client.js';
import { handoffs, leadEvents, leads } from '../schema.js';
import { NEGATIVE_OUTCOME, POSITIVE_OUTCOME, type HitGroup, type OutcomeOrigin } from '../types.js';
import { column, eventCounts, projection, type Projection } from './leads-projection.js';

/*
 * The backtest's reads of `leads` (src/scoring/criteria-service.ts runs them in this order):
 * 1. the distinct value of every field the rules read (leads-projection.ts; scoring semantics — case folding,
 *    numbers, unicode — are applied to those values in JS by score.ts's own `matches`, never re-implemented in SQL);
 * 2. one aggregate that looks each lead's values up in the per-rule sets of matching values and counts, by
 *    those hits and, when points decay, by the age bucket of each piece of evidence (decay itself is applied in JS).
 * Only when some lead lacks a rule's attribute key exactly does a third scan collect the case variants of
 * that key score.ts would fall back to. All of it runs in one repeatable-read snapshot, so a lead written
 * meanwhile cannot fall outside the value sets.
 */

/** What the per-lead scan evaluates. */
export interface HitScan extends Projection {
  /** Per field, every projection text the leads have (null: an attribute read as text that a lead lacks). */
  values: Array<Array<string | null>>;
  /** Per rule: the field it reads and the projection texts for which it matches. */
  rules: Array<{ field: number; matching: Array<string | null> }>;
  /**
   * What dates decaying points: an events field's newest counted event, or (field null) the lead's last
   * activity, and the rules (indices into `rules`) whose points it dates.
   */
  evidence: Array<{ field: number | null; rules: number[] }>;
  /** Ascending lower bounds, in whole days, of the buckets evidence ages are sorted into. */
  ageBounds: number[];
}

const DAY_MS = 86_400_000;

/** The event types stored, which `events.<type>` fields fold to (planned by src/scoring/backtest.ts). */
export async function storedEventTypes(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ type: string }>(db, sql`select distinct type from ${leadEvents}`);
  return rows.map((r) => r.type);
}

/** Per rule: a constant when it matches all or none of the values seen (left out of the SQL), else a lookup in its value set. */
function ruleHits({ rules, values }: HitScan): { maps: SQL[]; hits: Array<boolean | SQL> } {
  const maps: SQL[] = [];
  const hits = rules.map(({ field, matching }) => {
    if (matching.length === 0) return false;
    if (matching.length === values[field]!.length) return true;
    const m = column('m', maps.length);
    const texts = matching.filter((v) => v !== null);
    maps.push(sql`${JSON.stringify(Object.fromEntries(texts.map((v) => [v, 1])))}::jsonb as ${m}`);
    return sql`coalesce(m.${m} ? ${column('f', field)}, ${texts.length < matching.length})`;
  });
  return { maps, hits };
}

/**
 * The bucket of the age of `at` in whole days as ageInDays (src/scoring/axes.ts) counts it, by comparing
 * timestamps: the age reaches a bound b exactly when `at`, cut to the millisecond as a JS date is, is no
 * later than now − b days, i.e. earlier than that + 1 ms. Null when `at` is.
 */
function ageBucket(at: SQL, { now, ageBounds }: HitScan): SQL {
  const limits = ageBounds.map((b) => new Date(now.getTime() - b * DAY_MS + 1).toISOString()).reverse();
  return sql`${ageBounds.length}::int - width_bucket(${at}, ${`{${limits.join(',')}}`}::timestamptz[])`;
}

/** Per evidence: the age bucket of the newest counted event of its field, or of the lead's last activity; null without one. */
function evidenceBuckets(scan: HitScan): SQL[] {
  return scan.evidence.map(({ field }) => ageBucket(field === null ? sql`${leads.lastActivityAt}` : sql`ev.${column('t', field)}`, scan));
}

/**
 * One row per lead: its id, its outcome `o` (1 positive, 0 negative, null unknown) and where that came from
 * (`origin`, precedence as in OUTCOME_ORIGINS: the CRM's won/lost, else the imported outcome, else the latest
 * accepted/rejected handoff; a CRM opportunity is not final, so it falls through), each rule's hit `h<i>`
 * (i = index into scan.rules; only the rules that are not constant) and each evidence's age bucket `b<k>`.
 * `offset 0` keeps each level a separate step, so a field is projected once per lead, not once per rule that reads it.
 */
function perLeadHits(scan: HitScan): SQL {
  const { maps, hits } = ruleHits(scan);
  const ev = eventCounts(scan, new Set(scan.evidence.flatMap((e) => (e.field === null ? [] : [e.field]))));
  const fields = scan.fields.map((f, i) => sql`, ${projection(f, i, scan.keys)} as ${column('f', i)}`);
  const buckets = evidenceBuckets(scan).map((b, k) => sql`, ${b} as ${column('b', k)}`);
  const hitColumns = hits.flatMap((h, i) => (typeof h === 'boolean' ? [] : [sql`, ${h} as ${column('h', i)}`]));
  const bucketColumns = scan.evidence.map((_, k) => sql`, p.${column('b', k)}`);
  return sql`(
    with m as materialized (select 1 as one${sql.join(
      maps.map((m) => sql`, ${m}`),
      sql``,
    )})
    ${ev ? sql`, ${ev.cte}` : sql``},
    decided as (
      select distinct on (lead_id) lead_id, decision from ${handoffs}
      where decision in ('accepted', 'rejected')
      order by lead_id, decided_at desc nulls last, id desc
    )
    select p.id, p.o, p.origin ${sql.join(hitColumns, sql``)} ${sql.join(bucketColumns, sql``)} from (
      select ${leads.id} as id,
        case when ${leads.crmStage} = 'won' then 1 when ${leads.crmStage} = 'lost' then 0
             when ${leads.outcome} = ${POSITIVE_OUTCOME} then 1 when ${leads.outcome} = ${NEGATIVE_OUTCOME} then 0
             when decided.decision = 'accepted' then 1 when decided.decision = 'rejected' then 0 end as o,
        case when ${leads.crmStage} in ('won', 'lost') then 'crm'
             when ${leads.outcome} in (${POSITIVE_OUTCOME}, ${NEGATIVE_OUTCOME}) then 'imported'
             when decided.decision is not null then 'handoffs' end as origin
        ${sql.join(fields, sql``)} ${sql.join(buckets, sql``)}
      from ${leads} ${ev ? ev.join : sql``} left join decided on decided.lead_id = ${leads.id}
      offset 0
    ) p cross join m
  )`;
}

const hitsOf = (hits: Array<boolean | SQL>, row: Record<string, unknown>) =>
  hits.map((h, i) => (typeof h === 'boolean' ? h : row[`h${i}`] === true));
const bucketsOf = (scan: HitScan, row: Record<string, unknown>, prefix: string) =>
  scan.evidence.map((_, k) => (row[`${prefix}${k}`] == null ? null : Number(row[`${prefix}${k}`])));

/** Runs the backtest's reads in one repeatable-read snapshot. */
export async function inBacktestSnapshot<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(
    async (tx) => {
      // The aggregate's many expressions cross JIT's cost threshold, and compiling them takes ~15× longer
      // than running them (measured: 740 ms vs 45 ms over 9,240 leads on PostgreSQL 15).
      await tx.execute(sql`set local jit = off`);
      return work(tx);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * The stored leads grouped by outcome, rule hits and evidence age buckets (a few hundred groups for 100k leads),
 * so the counts are summed in JS from groups rather than leads. A bucket is kept only for leads that match a
 * rule it dates, so leads whose evidence's age changes nothing share a group.
 */
export async function countHitGroups(tx: DbOrTx, scan: HitScan): Promise<HitGroup[]> {
  const { hits } = ruleHits(scan);
  const hitKeys = hits.flatMap((h, i) => (typeof h === 'boolean' ? [] : [column('h', i)]));
  const ages = scan.evidence.map(({ rules }, k) => {
    if (rules.some((i) => hits[i] === true)) return sql`${column('b', k)} as ${column('a', k)}`;
    const dated = rules.filter((i) => hits[i] !== false).map((i) => column('h', i));
    if (dated.length === 0) return sql`null::int as ${column('a', k)}`;
    return sql`case when ${sql.join(dated, sql` or `)} then ${column('b', k)} end as ${column('a', k)}`;
  });
  const keys = [sql`o`, sql`origin`, ...hitKeys, ...scan.evidence.map((_, k) => column('a', k))];
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`select ${sql.join(keys, sql`, `)}, count(*)::int as n from (
          select ${sql.join([sql`o`, sql`origin`, ...hitKeys, ...ages], sql`, `)} from ${perLeadHits(scan)} as leads_hits
        ) grouped group by ${sql.join(keys, sql`, `)}`,
  );
  return rows.map((row) => ({
    outcome: row.o === null ? null : Number(row.o) === 1 ? 1 : 0,
    origin: row.origin == null ? null : (row.origin as OutcomeOrigin),
    hits: hitsOf(hits, row),
    ages: bucketsOf(scan, row, 'a'),
    leads: Number(row.n),
  }));
}

/** Every stored lead's rule hits and evidence age buckets, by lead id. */
export async function hitsPerLead(tx: DbOrTx, scan: HitScan): Promise<Map<number, Pick<HitGroup, 'hits' | 'ages'>>> {
  const { hits } = ruleHits(scan);
  const rows = await queryRows<Record<string, unknown>>(tx, sql`select * from ${perLeadHits(scan)} as leads_hits`);
  return new Map(rows.map((row) => [Number(row.id), { hits: hitsOf(hits, row), ages: bucketsOf(scan, row, 'b') }]));
}
