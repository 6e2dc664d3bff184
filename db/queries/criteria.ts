import { desc, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { criteria, criteriaVersions } from '../schema.js';
import type { Criteria, Rule } from '../../src/scoring/types.js';

export async function findActiveCriteria(db: DbOrTx): Promise<Criteria | null> {
  const [row] = await db.select().from(criteriaVersions).orderBy(desc(criteriaVersions.version)).limit(1);
  return row ? { version: row.version, threshold: row.threshold, rules: row.rules } : null;
}

export async function getActiveCriteria(db: DbOrTx): Promise<Criteria> {
  const active = await findActiveCriteria(db);
  if (!active) throw new Error('no criteria version exists; seedDefaultCriteria runs at start-up');
  return active;
}

/**
 * Seeds version 1 when no criteria exist. Safe when several replicas start at once: the version's
 * primary key lets exactly one insert win (advisory-locked inside the transaction so rule rows aren't doubled).
 */
export async function seedCriteriaIfEmpty(
  db: DbOrTx,
  rules: Array<Omit<Rule, 'id'>>,
  threshold: number,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727002)`);
    if (await findActiveCriteria(tx)) return false;
    const inserted = await tx
      .insert(criteria)
      .values(rules.map((r) => ({ ...r, addedInVersion: 1 })))
      .returning();
    await tx.insert(criteriaVersions).values({
      version: 1,
      threshold,
      rules: inserted.map(({ id, field, op, value, points, label }) => ({ id, field, op, value, points, label })),
      change: 'default criteria seeded',
      createdBy: 'system',
    });
    return true;
  });
}
