import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { NEGATIVE_OUTCOME, POSITIVE_OUTCOME } from '../db/types.js';
import type { BacktestCounts } from '../src/scoring/backtest-counts.js';
import type { Criteria } from '../src/scoring/types.js';

/*
 * The backtest's floor: ONE hand-written query computing the counts the backtest produces for the default
 * criteria (src/scoring/default-criteria.ts: threshold 30, engagement points count for 30 days), written the way
 * someone who knows the rules would write it, with nothing planned or generated. Its counts must equal the
 * backtest's (`checkSameCounts`), or it would be no floor.
 */

/** A number as score.ts's toNumber reads it: a JSON number, or text that is a plain decimal. */
const num = (value: string) => String.raw`(case jsonb_typeof(${value}) when 'number' then ${value}::numeric
  when 'string' then case when btrim(${value} #>> '{}') ~ '^[+-]?(\d+(\.\d*)?|\.\d+)$' then btrim(${value} #>> '{}')::numeric end end)`;
/** Text as rules compare it (folded); `value` is already the attribute's text. */
const text = (value: string) => `lower(btrim(${value}))`;
/** Whole words, as `contains` matches them (letters and digits make words). */
const word = (phrase: string) => `title ~* '(^|[^[:alnum:]])${phrase.replaceAll(' ', '[^[:alnum:]]+')}($|[^[:alnum:]])'`;

/** Each default rule's condition, by `field op value`, as the per-lead hit columns below name them. */
const HIT_COLUMNS: Record<string, string> = {
  'events.form_submit >= 1': 'form',
  'Lead Origin = Lead Add Form': 'inquiry',
  'events.webinar_attended >= 1': 'webinar',
  'events.email_click >= 2': 'clicks',
  'Total Time Spent on Website >= 900': 'engaged',
  'TotalVisits >= 5': 'repeat_visits',
  'What is your current occupation = Working Professional': 'professional',
  'title contains chief': 'c_level',
  'title contains vp': 'vp',
  'title contains vice president': 'vice_president',
  'title contains director': 'director',
  'title contains head of': 'head_of',
  'Do Not Email = Yes': 'opted_out',
  'Last Activity in Email Bounced, Unsubscribed': 'bad_contact',
};

/** Engagement points count while their evidence (newest counted event, else last activity) is under 30 days old. */
const fresh = (at: string) => `(${at} is null or date_trunc('milliseconds', ${at}) > $cutoff)`;

// Each level is its own step (`offset 0`): a lead's attributes are read once, and each hit and its verdict computed once.
const QUERY = `
with decided as (
  select distinct on (lead_id) lead_id, decision from handoffs
  where decision in ('accepted', 'rejected')
  order by lead_id, decided_at desc nulls last, id desc
), events as (
  select lead_id,
    count(*) filter (where lower(type) = 'form_submit') as forms, max(occurred_at) filter (where lower(type) = 'form_submit') as form_at,
    count(*) filter (where lower(type) = 'webinar_attended') as webinars, max(occurred_at) filter (where lower(type) = 'webinar_attended') as webinar_at,
    count(*) filter (where lower(type) = 'email_click') as email_clicks, max(occurred_at) filter (where lower(type) = 'email_click') as click_at
  from lead_events group by lead_id
), fields as (
  select
    case when l.crm_stage = 'won' then 1 when l.crm_stage = 'lost' then 0
         when l.outcome = $positive then 1 when l.outcome = $negative then 0
         when d.decision = 'accepted' then 1 when d.decision = 'rejected' then 0 end as o,
    l.title, l.last_activity_at, coalesce(e.forms, 0) as forms, e.form_at, coalesce(e.webinars, 0) as webinars, e.webinar_at,
    coalesce(e.email_clicks, 0) as email_clicks, e.click_at,
    l.attributes->>'Lead Origin' as origin, l.attributes->'Total Time Spent on Website' as time_on_site,
    l.attributes->'TotalVisits' as visits, l.attributes->>'What is your current occupation' as occupation,
    l.attributes->'Do Not Email' as do_not_email, l.attributes->>'Last Activity' as last_activity
  from leads l left join events e on e.lead_id = l.id left join decided d on d.lead_id = l.id
  offset 0
), hits as (
  select o, form_at, webinar_at, click_at, last_activity_at,
    forms >= 1 as form, ${text('origin')} = 'lead add form' as inquiry, webinars >= 1 as webinar, email_clicks >= 2 as clicks,
    ${num('time_on_site')} >= 900 as engaged, ${num('visits')} >= 5 as repeat_visits,
    ${text('occupation')} = 'working professional' as professional,
    ${word('chief')} as c_level, ${word('vp')} as vp, ${word('vice president')} as vice_president,
    ${word('director')} as director, ${word('head of')} as head_of,
    (do_not_email = 'true'::jsonb or (jsonb_typeof(do_not_email) = 'string' and ${text("do_not_email #>> '{}'")} = 'yes')) as opted_out,
    ${text('last_activity')} in ('email bounced', 'unsubscribed') as bad_contact
  from fields
  offset 0
), scored as (
  select *,
    (case when professional then 30 else 0 end) + (case when c_level then 20 else 0 end) + (case when vp then 15 else 0 end)
      + (case when vice_president then 15 else 0 end) + (case when director then 15 else 0 end) + (case when head_of then 10 else 0 end)
      - (case when opted_out then 20 else 0 end) - (case when bad_contact then 10 else 0 end)
    + (case when form and ${fresh('form_at')} then 30 else 0 end) + (case when inquiry and ${fresh('last_activity_at')} then 40 else 0 end)
      + (case when webinar and ${fresh('webinar_at')} then 15 else 0 end) + (case when clicks and ${fresh('click_at')} then 10 else 0 end)
      + (case when engaged and ${fresh('last_activity_at')} then 30 else 0 end) + (case when repeat_visits and ${fresh('last_activity_at')} then 5 else 0 end)
    >= 30 as qualified
  from hits
  offset 0
)
select count(*)::int as evaluated,
  count(*) filter (where o is not null)::int as "withOutcome",
  count(*) filter (where o = 1)::int as positive,
  count(*) filter (where qualified)::int as qualified,
  count(*) filter (where qualified and o is not null)::int as "qualifiedWithOutcome",
  count(*) filter (where qualified and o = 1)::int as "positiveAmongQualified",
  count(*) filter (where not qualified and o is not null)::int as "notQualifiedWithOutcome",
  count(*) filter (where not qualified and o = 1)::int as "positiveAmongNotQualified",
  ${Object.values(HIT_COLUMNS)
    .map((c) => `count(*) filter (where ${c})::int as hits_${c}`)
    .join(',\n  ')}
from scored`;

export type FloorCounts = Record<string, number>;

/** Runs the hand-written query at `now`, in a transaction with JIT off like the backtest's (see leads-backtest.ts). */
export async function handWrittenCounts(database: Database, now: Date): Promise<FloorCounts> {
  const cutoff = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const params: Record<string, string> = { cutoff, positive: POSITIVE_OUTCOME, negative: NEGATIVE_OUTCOME };
  const parts = QUERY.split(/\$(cutoff|positive|negative)\b/);
  const query = sql.join(
    parts.map((part, i) => (i % 2 ? sql`${params[part]}` : sql.raw(part))),
    sql``,
  );
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    const [row] = await queryRows<FloorCounts>(tx, query);
    return row!;
  });
}

/** Throws, listing what differs, unless the hand-written counts are the backtest's (of the active criteria, against themselves). */
export function checkSameCounts(floor: FloorCounts, counts: BacktestCounts, active: Criteria): void {
  const expected: FloorCounts = {
    evaluated: counts.evaluated,
    withOutcome: counts.withOutcome,
    positive: counts.positive,
    ...counts.candidate,
  };
  for (const rule of active.rules) {
    const column = HIT_COLUMNS[`${rule.field} ${rule.op} ${rule.value}`];
    if (!column) throw new Error(`the hand-written backtest knows only the default criteria, not "${rule.field} ${rule.op} ${rule.value}"`);
    expected[`hits_${column}`] = counts.rules.get(rule.id)!.hits;
  }
  const differ = Object.entries(expected).filter(([key, value]) => Number(floor[key]) !== value);
  if (differ.length) {
    throw new Error(
      `the hand-written query's counts differ from the backtest's: ${differ.map(([k, v]) => `${k} ${floor[k]} ≠ ${v}`).join(', ')}`,
    );
  }
}
