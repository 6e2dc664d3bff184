import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { X_EDUCATION_MAPPING } from './section.js';

const CLONE_SOURCE = `${X_EDUCATION_MAPPING.source}-clone`;

/**
 * Fills `leads` up to `total` with copies of the real (imported) leads, INSERT … SELECT, one copy of them a
 * statement (so no statement nears the statement timeout at a million leads): time on site, visits and page
 * views drawn at random (seeded), so the backtest meets as many distinct values as a real table of that size
 * would; and a last activity in the past 120 days, so decay has ages to sort (the real leads have none).
 * The copies have a source of their own (so `source` + `externalId` stays unique). Returns how many it added.
 */
export async function cloneRealLeads(database: Database, total: number): Promise<number> {
  const source = X_EDUCATION_MAPPING.source;
  return database.db.transaction(async (tx) => {
    const [counts] = await queryRows<{ stored: number; real: number; cloned: number }>(
      tx,
      sql`select count(*)::int as stored, count(*) filter (where source = ${source})::int as real,
            count(*) filter (where source = ${CLONE_SOURCE})::int as cloned from leads`,
    );
    if (counts!.cloned > 0) throw new Error('the leads were cloned already');
    const missing = total - counts!.stored;
    if (missing <= 0) return 0;
    if (counts!.real === 0) throw new Error('no real leads to clone: import the CSV first');
    await tx.execute(sql`select setseed(0.42)`);
    for (let copy = 1; copy <= Math.ceil(missing / counts!.real); copy++) {
      await tx.execute(sql`
        insert into leads (source, external_id, email, name, company, title, country, attributes, outcome, last_activity_at)
        select ${CLONE_SOURCE}, external_id || '-' || ${copy}::int, email, name, company, title, country,
          attributes || jsonb_build_object(
            'Total Time Spent on Website', floor(random() * 2400)::int,
            'TotalVisits', floor(random() * 20)::int,
            'Page Views Per Visit', round((random() * 8)::numeric, 2)),
          outcome,
          now() - random() * interval '120 days'
        from leads
        where source = ${source}
        order by id
        limit ${Math.min(counts!.real, missing - (copy - 1) * counts!.real)}::int`);
    }
    return missing;
  });
}
