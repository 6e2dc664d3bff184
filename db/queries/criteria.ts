import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.js';
import { criteria, criteriaVersions } from '../schema.js';
import { recordAudit } from './audit.js';
import { applyChange, checkChange, describeChange, type CriteriaChange } from '../../src/scoring/changes.js';
import type { Criteria, Rule } from '../../src/scoring/types.js';

/** Arbitrary constant: the advisory lock that serialises every write of criteria (seeding, changes). */
const CRITERIA_LOCK_KEY = 727_002;

/** A criteria version with who made it, when, and what it changed. */
export interface CriteriaVersion extends Criteria {
  change: string;
  createdBy: string;
  createdAt: Date;
}

export async function findActiveCriteriaVersion(db: DbOrTx): Promise<CriteriaVersion | null> {
  const [row] = await db.select().from(criteriaVersions).orderBy(desc(criteriaVersions.version)).limit(1);
  return row
    ? { version: row.version, threshold: row.threshold, rules: row.rules, change: row.change, createdBy: row.createdBy, createdAt: row.createdAt }
    : null;
}

export async function findActiveCriteria(db: DbOrTx): Promise<Criteria | null> {
  const active = await findActiveCriteriaVersion(db);
  return active ? { version: active.version, threshold: active.threshold, rules: active.rules } : null;
}

export async function getActiveCriteria(db: DbOrTx): Promise<Criteria> {
  const active = await findActiveCriteria(db);
  if (!active) throw new Error('no criteria version exists; seedCriteriaIfEmpty runs at start-up (db/prepare.ts)');
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
    await tx.execute(sql`select pg_advisory_xact_lock(${CRITERIA_LOCK_KEY})`);
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

export type SavedCriteriaChange = { ok: true; before: CriteriaVersion; after: CriteriaVersion } | { ok: false; error: string };

/**
 * Makes one change as a new criteria version (rules, threshold, who, when, what changed) and audits it.
 * Two marketers changing at once are serialised by the lock, so each change builds on the one before
 * it and gets its own version number. A change that cannot be made (unknown rule id, same threshold,
 * duplicate rule) is returned as an error and writes nothing.
 */
export async function saveCriteriaChange(db: Db, change: CriteriaChange, actor: string, now: Date): Promise<SavedCriteriaChange> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CRITERIA_LOCK_KEY})`);
    const before = await findActiveCriteriaVersion(tx);
    if (!before) throw new Error('no criteria version exists; seedCriteriaIfEmpty runs at start-up');
    const problem = checkChange(before, change);
    if (problem) return { ok: false, error: problem };

    const version = before.version + 1;
    let addedId = 0;
    if (change.kind === 'add') {
      const [row] = await tx
        .insert(criteria)
        .values({ ...change.rule, addedInVersion: version })
        .returning({ id: criteria.id });
      addedId = row!.id;
    } else if (change.kind === 'remove') {
      await tx
        .update(criteria)
        .set({ removedInVersion: version })
        .where(and(eq(criteria.id, change.ruleId), isNull(criteria.removedInVersion)));
    }
    const next = applyChange(before, change, addedId);
    const description = describeChange(before, next).join('; ');
    await tx.insert(criteriaVersions).values({
      version,
      threshold: next.threshold,
      rules: next.rules,
      change: description,
      createdBy: actor,
      createdAt: now,
    });
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
          details: { change: description },
        },
      ],
      now,
    );
    return { ok: true, before, after: { version, threshold: next.threshold, rules: next.rules, change: description, createdBy: actor, createdAt: now } };
  });
}
