import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads } from '../schema.js';
import type { HandoffView, ScoreReason } from '../types.js';

export interface NewHandoff {
  leadId: number;
  qualification: number;
  score: number;
  scoreBreakdown: ScoreReason[];
  threshold: number;
  criteriaVersion: number;
}

/** Opens handoffs; the (lead, qualification) key makes a qualification impossible to open twice. */
export function openHandoffs(db: DbOrTx, rows: NewHandoff[], now: Date) {
  if (rows.length === 0) return Promise.resolve([]);
  return db
    .insert(handoffs)
    .values(rows.map((r) => ({ ...r, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: handoffs.id, leadId: handoffs.leadId, qualification: handoffs.qualification });
}

export type HandoffRow = typeof handoffs.$inferSelect;

/** Locks one handoff for a state change; concurrent clicks queue behind the lock and see its result. */
export async function lockHandoff(db: DbOrTx, id: number): Promise<HandoffRow | undefined> {
  const [row] = await db.select().from(handoffs).where(eq(handoffs.id, id)).for('update');
  return row;
}

export type HandoffChanges = Partial<
  Pick<
    HandoffRow,
    'claimedBy' | 'claimedAt' | 'firstClaimedAt' | 'claimableSince' | 'decision' | 'reasonCode' | 'note' | 'decidedBy' | 'decidedAt'
  >
>;

/** Applies a state change and bumps the version; returns the new row. */
export async function updateHandoff(db: DbOrTx, id: number, changes: HandoffChanges): Promise<HandoffRow> {
  const [row] = await db
    .update(handoffs)
    .set({ ...changes, version: sql`${handoffs.version} + 1` })
    .where(eq(handoffs.id, id))
    .returning();
  return row!;
}

/** Remembers where the post went; only the first recorded post counts, so a handoff is never posted twice. */
export async function recordHandoffPost(db: DbOrTx, id: number, channel: string, ts: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(handoffs)
    .set({ channel, messageTs: ts, postedAt: now, claimableSince: now })
    .where(and(eq(handoffs.id, id), isNull(handoffs.messageTs)))
    .returning({ id: handoffs.id });
  return updated.length > 0;
}

export async function findHandoff(db: DbOrTx, id: number): Promise<HandoffRow | undefined> {
  const [row] = await db.select().from(handoffs).where(eq(handoffs.id, id));
  return row;
}

/** The handoff with its lead and the lead's previous handoff: everything its Slack post shows. */
export async function loadHandoffView(db: DbOrTx, id: number): Promise<HandoffView | undefined> {
  const [row] = await db
    .select({ handoff: handoffs, lead: leads })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(eq(handoffs.id, id));
  if (!row) return undefined;
  const { handoff: h, lead } = row;
  const [previous] =
    h.qualification > 1
      ? await db
          .select()
          .from(handoffs)
          .where(and(eq(handoffs.leadId, h.leadId), eq(handoffs.qualification, h.qualification - 1)))
      : [];
  return {
    ...h,
    lead: { ...lead, breakdown: h.scoreBreakdown },
    previous: previous
      ? {
          qualification: previous.qualification,
          decision: previous.decision,
          reasonCode: previous.reasonCode,
          decidedBy: previous.decidedBy,
        }
      : null,
  };
}
