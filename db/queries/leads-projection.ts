import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { queryRows } from '../client.js';
import { leadEvents, leads } from '../schema.js';

/*
 * What the backtest reads of each lead, as text (db/queries/leads-backtest.ts has the order of its reads):
 * each rule's field projected once, the distinct values of those projections, and the attribute keys a
 * lead may hold in another case. Scoring semantics are never re-implemented here: src/scoring/backtest.ts
 * decodes the texts and judges them with score.ts's own `matches`.
 */

/** A field as the backtest projects it, shared by all rules that read it (planned by src/scoring/backtest.ts). */
export interface ProjectedField {
  source: { kind: 'core'; key: string } | { kind: 'events' } | { kind: 'attribute'; name: string };
  /** For `events.<type>`: the stored event types it counts, and the window before `now` they count in (null: all). */
  eventTypes: string[];
  withinMs: number | null;
  /**
   * For attributes: read as text (`->>`: a string as it is, other values as their JSON, '' for JSON null, null
   * when absent), which is about three times cheaper than the JSON (`->`), when the backtest found the JSON type
   * changes no rule's verdict. Never with case variants of the key (a JSON null must stop the search there, as in score.ts).
   */
  asText?: boolean;
}

/** Attribute keys to read for a field: the exact name, then its case variants in score.ts's order. */
export type KeyLists = Map<number, string[]>;

/** The fields to project, the moment event windows count back from, and the attribute keys to read. */
export interface Projection {
  fields: ProjectedField[];
  now: Date;
  keys: KeyLists;
}

const CORE_COLUMNS = {
  email: leads.email,
  name: leads.name,
  company: leads.company,
  title: leads.title,
  country: leads.country,
  source: leads.source,
  externalId: leads.externalId,
} as const;

export const column = (prefix: string, i: number) => sql.raw(`${prefix}${i}`);

/**
 * The field's value as text, decoded by `decodeProjection` (src/scoring/backtest.ts): null only for an attribute
 * read as text. For attributes read as JSON the first key present wins, even holding JSON null, as in score.ts;
 * '' when the lead has none of the keys.
 */
export function projection(field: ProjectedField, index: number, keys: KeyLists): SQL {
  const source = field.source;
  switch (source.kind) {
    case 'core':
      // Null and '' behave alike in every rule (both are "missing"), so null needs no marker of its own.
      // Own keys only: a key such as `constructor` must never reach the SQL as a stray object.
      if (!Object.hasOwn(CORE_COLUMNS, source.key)) throw new Error(`no column for the core field ${source.key}`);
      return sql`coalesce(${CORE_COLUMNS[source.key as keyof typeof CORE_COLUMNS]}, '')`;
    case 'events':
      return field.eventTypes.length ? sql`coalesce(ev.${column('e', index)}, 0)::text` : sql`'0'`;
    case 'attribute': {
      // A JSON null reads as '' (both are missing to every rule), so null is left for a lead that lacks the key.
      const name = sql`${source.name}::text`;
      if (field.asText && !keys.has(index))
        return sql`coalesce(${leads.attributes} ->> ${name}, case when ${leads.attributes} ? ${name} then '' end)`;
      const names = keys.get(index) ?? [source.name];
      const lookups = names.map((name) => sql`${leads.attributes} -> ${name}::text`);
      return sql`coalesce((coalesce(${sql.join(lookups, sql`, `)}))::text, '')`;
    }
  }
}

const textList = (items: string[]) =>
  sql.join(
    items.map((t) => sql`${t}::text`),
    sql`, `,
  );

/**
 * Per lead (`ev`, joined by `join`), the count `e<i>` of each planned event field's types in its window (only
 * when a rule reads events), and for the fields in `dated` the newest such event `t<i>`, which dates decaying points.
 */
export function eventCounts({ fields, now }: Projection, dated: Set<number>): { cte: SQL; join: SQL } | null {
  const counted = fields.flatMap((f, i) => (f.eventTypes.length ? [{ f, i }] : []));
  if (counted.length === 0) return null;
  const columns = counted.flatMap(({ f, i }) => {
    // score.ts counts the events with occurredAt >= now − window, in whole milliseconds.
    const since = f.withinMs ? new Date(Math.ceil(now.getTime() - f.withinMs)).toISOString() : null;
    const filter = sql`type in (${textList(f.eventTypes)})${since ? sql` and ${leadEvents.occurredAt} >= ${since}::timestamptz` : sql``}`;
    return [
      sql`count(*) filter (where ${filter})::int as ${column('e', i)}`,
      ...(dated.has(i) ? [sql`max(${leadEvents.occurredAt}) filter (where ${filter}) as ${column('t', i)}`] : []),
    ];
  });
  const allTypes = [...new Set(counted.flatMap(({ f }) => f.eventTypes))];
  return {
    cte: sql`ev as (select lead_id, ${sql.join(columns, sql`, `)} from ${leadEvents} where type in (${textList(allTypes)}) group by lead_id)`,
    join: sql`left join ev on ev.lead_id = ${leads.id}`,
  };
}

/** The distinct projected values of the given fields, in one pass (hashed grouping sets, one table per field). */
export async function distinctProjections(db: DbOrTx, projected: Projection, wanted: number[]): Promise<Map<number, Array<string | null>>> {
  // An events field no stored event counts for is 0 for every lead: no need to scan for that.
  const uncounted = (i: number) => projected.fields[i]!.source.kind === 'events' && projected.fields[i]!.eventTypes.length === 0;
  const values = new Map(wanted.map((i) => [i, uncounted(i) ? ['0'] : ([] as Array<string | null>)]));
  const fields = wanted.filter((i) => !uncounted(i));
  if (fields.length === 0) return values;
  const ev = eventCounts(projected, new Set());
  const names = fields.map((i) => column('f', i));
  // grouping(f) = 0 marks the rows that group f (a value may be null, so a null does not tell).
  const grouped = names.map((n, k) => sql`grouping(${n}) = 0 as ${column('g', fields[k]!)}`);
  const rows = await queryRows<Record<string, string | boolean | null>>(
    db,
    sql`${ev ? sql`with ${ev.cte} ` : sql``}select ${sql.join([...names, ...grouped], sql`, `)} from (
          select ${sql.join(
            fields.map((i, k) => sql`${projection(projected.fields[i]!, i, projected.keys)} as ${names[k]}`),
            sql`, `,
          )}
          from ${leads} ${ev ? ev.join : sql``} offset 0
        ) p group by grouping sets (${sql.join(
          names.map((n) => sql`(${n})`),
          sql`, `,
        )})`,
  );
  for (const row of rows) {
    for (const i of fields) if (row[`g${i}`] === true) values.get(i)!.push((row[`f${i}`] as string | null) ?? null);
  }
  return values;
}

/**
 * The distinct attribute keys of the leads that lack one of `names` exactly. Filtered in JS with fold():
 * SQL's lower() depends on the server's locale, and translate() is ~10× slower than fetching the keys.
 */
export async function keysOfLeadsLacking(db: DbOrTx, names: string[]): Promise<string[]> {
  const rows = await queryRows<{ k: string }>(
    db,
    sql`select distinct k from ${leads}, jsonb_object_keys(${leads.attributes}) k
        where not (${leads.attributes} ?& array[${textList(names)}])`,
  );
  return rows.map((r) => r.k);
}
