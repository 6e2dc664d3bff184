import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { criteria, criteriaVersions } from '../schema.js';
import type { AxisMinimums, Decay, NewRule, Rule } from '../types.js';

/** Arbitrary constant: the advisory lock that serialises every write of criteria (seeding, changes). */
const CRITERIA_LOCK_KEY = 727_002;

/** A criteria version with who made it, when, and what it changed. */
export type CriteriaVersionRow = typeof criteriaVersions.$inferSelect;
/** A stored version as scoring reads it: the minimums as one value (both set, or none). */
export type CriteriaVersion = Omit<CriteriaVersionRow, 'fitMinimum' | 'engagementMinimum'> & { minimums: AxisMinimums | null };
export type ActiveCriteria = Pick<CriteriaVersion, 'version' | 'threshold' | 'minimums' | 'decay' | 'rules'>;

/** A version's minimums as one value: both set, or none (it qualifies on the total). */
export const axisMinimums = (fit: number | null, engagement: number | null): AxisMinimums | null =>
  fit === null || engagement === null ? null : { fit, engagement };

function asVersion({ fitMinimum, engagementMinimum, ...row }: CriteriaVersionRow): CriteriaVersion {
  return { ...row, minimums: axisMinimums(fitMinimum, engagementMinimum) };
}

/** Holds every other writer of criteria off until the transaction ends. */
export async function lockCriteria(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CRITERIA_LOCK_KEY})`);
}

export async function findActiveCriteriaVersion(db: DbOrTx): Promise<CriteriaVersion | null> {
  const [row] = await db.select().from(criteriaVersions).orderBy(desc(criteriaVersions.version)).limit(1);
  return row ? asVersion(row) : null;
}

export async function findCriteriaVersion(db: DbOrTx, version: number): Promise<CriteriaVersion | null> {
  const [row] = await db.select().from(criteriaVersions).where(eq(criteriaVersions.version, version));
  return row ? asVersion(row) : null;
}

/** The newest versions first, `limit` of them, and how many there are. */
export async function listCriteriaVersions(db: DbOrTx, limit: number): Promise<{ versions: CriteriaVersion[]; total: number }> {
  const rows = await db.select().from(criteriaVersions).orderBy(desc(criteriaVersions.version)).limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(criteriaVersions);
  return { versions: rows.map(asVersion), total: Number(count?.n ?? 0) };
}

export async function findActiveCriteria(db: DbOrTx): Promise<ActiveCriteria | null> {
  const active = await findActiveCriteriaVersion(db);
  return active
    ? { version: active.version, threshold: active.threshold, minimums: active.minimums, decay: active.decay, rules: active.rules }
    : null;
}

export async function getActiveCriteria(db: DbOrTx): Promise<ActiveCriteria> {
  const active = await findActiveCriteria(db);
  if (!active) throw new Error('no criteria version exists; seedCriteriaIfEmpty runs at start-up (src/prepare-database.ts)');
  return active;
}

/** Stores rules that `version` adds; they get their ids. */
export async function insertRules(db: DbOrTx, rules: NewRule[], version: number): Promise<Rule[]> {
  const rows = await db
    .insert(criteria)
    .values(rules.map((r) => ({ ...r, addedInVersion: version })))
    .returning();
  return rows.map(({ id, field, op, value, points, label, axis, withinMs }) => ({
    id,
    field,
    op,
    value,
    points,
    label,
    ...(axis && { axis }),
    ...(withinMs && { withinMs }),
  }));
}

/** Makes retired rules active again (a revert to a version that had them); their ids stay. */
export async function reactivateRules(db: DbOrTx, ruleIds: number[]): Promise<void> {
  if (ruleIds.length === 0) return;
  await db.update(criteria).set({ removedInVersion: null }).where(inArray(criteria.id, ruleIds));
}

/** Marks an active rule as removed by `version` (its row stays, for the versions that had it). */
export async function retireRule(db: DbOrTx, ruleId: number, version: number): Promise<void> {
  await db
    .update(criteria)
    .set({ removedInVersion: version })
    .where(and(eq(criteria.id, ruleId), isNull(criteria.removedInVersion)));
}

export type NewCriteriaVersion = Omit<typeof criteriaVersions.$inferInsert, 'fitMinimum' | 'engagementMinimum'> & {
  minimums?: AxisMinimums | null;
};

export async function insertCriteriaVersion(db: DbOrTx, { minimums, ...row }: NewCriteriaVersion): Promise<void> {
  await db.insert(criteriaVersions).values({ ...row, fitMinimum: minimums?.fit ?? null, engagementMinimum: minimums?.engagement ?? null });
}

/**
 * Seeds version 1 when no criteria exist. Safe when several replicas start at once: the version's
 * primary key lets exactly one insert win (advisory-locked inside the transaction so rule rows aren't doubled).
 */
export async function seedCriteriaIfEmpty(db: DbOrTx, rules: NewRule[], threshold: number, decay: Decay): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockCriteria(tx);
    if (await findActiveCriteria(tx)) return false;
    const inserted = await insertRules(tx, rules, 1);
    await insertCriteriaVersion(tx, {
      version: 1,
      threshold,
      decay,
      rules: inserted,
      change: 'default criteria seeded',
      createdBy: 'system',
    });
    return true;
  });
}
