import { and, desc, eq, inArray, isNotNull, isNull, max, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../client.js';
import { criteriaVersions, handoffs, leadEvents, leads, outbox } from '../schema.js';
import { axisMinimums } from './criteria.js';
import { offersOfHandoff } from './offers.js';
import type { HandoffHistoryEntry, HandoffView, OfferMode, ScoreReason } from '../types.js';

export interface NewHandoff {
  leadId: number;
  qualification: number;
  score: number;
  scoreBreakdown: ScoreReason[];
  threshold: number;
  criteriaVersion: number;
  /** The route that took the lead; unset: the default route (the sales channel, claim mode). */
  routeName?: string | null;
  routingVersion?: number | null;
  postChannel?: string | null;
  offerMode?: OfferMode | null;
}

/**
 * Opens handoffs, ids in the order given; the (lead, qualification) key makes a qualification impossible to open
 * twice. Rows travel as one jsonb parameter: an intake batch opens hundreds, and binding each of their values costs
 * more than the insert.
 */
export async function openHandoffs(
  db: DbOrTx,
  rows: NewHandoff[],
  now: Date,
): Promise<Array<{ id: number; leadId: number; qualification: number }>> {
  if (rows.length === 0) return [];
  const records = rows.map((r, i) => ({
    i,
    lead_id: r.leadId,
    qualification: r.qualification,
    score: r.score,
    score_breakdown: r.scoreBreakdown,
    threshold: r.threshold,
    criteria_version: r.criteriaVersion,
    route_name: r.routeName ?? null,
    routing_version: r.routingVersion ?? null,
    post_channel: r.postChannel ?? null,
    offer_mode: r.offerMode ?? null,
  }));
  const at = now.toISOString();
  const opened = await queryRows<{ id: string | number; lead_id: string | number; qualification: number }>(
    db,
    sql`insert into handoffs (lead_id, qualification, score, score_breakdown, threshold, criteria_version, route_name, routing_version,
          post_channel, offer_mode, created_at, updated_at)
        select v.lead_id, v.qualification, v.score, v.score_breakdown, v.threshold, v.criteria_version, v.route_name, v.routing_version,
          v.post_channel, v.offer_mode, ${at}::timestamptz, ${at}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
          as v(lead_id bigint, qualification int, score int, score_breakdown jsonb, threshold int, criteria_version int, route_name text,
               routing_version int, post_channel text, offer_mode text, i int)
        order by v.i
        on conflict do nothing
        returning id, lead_id, qualification`,
  );
  return opened.map((r) => ({ id: Number(r.id), leadId: Number(r.lead_id), qualification: r.qualification }));
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
    | 'claimedBy'
    | 'claimedAt'
    | 'firstClaimedAt'
    | 'claimableSince'
    | 'decision'
    | 'reasonCode'
    | 'note'
    | 'decidedBy'
    | 'decidedAt'
    | 'offerMode'
  >
>;

const appended = (entries: HandoffHistoryEntry[]) => sql`${handoffs.history} || ${JSON.stringify(entries)}::jsonb`;

/**
 * Applies a state change, appends `history` (what the change erases, or activity merged in), bumps the
 * version and stamps `updated_at`; returns the new row, or undefined when the handoff is gone.
 */
export async function updateHandoff(
  db: DbOrTx,
  id: number,
  changes: HandoffChanges,
  now: Date,
  history: HandoffHistoryEntry[] = [],
): Promise<HandoffRow | undefined> {
  const [row] = await db
    .update(handoffs)
    .set({
      ...changes,
      ...(history.length ? { history: appended(history) } : {}),
      version: sql`${handoffs.version} + 1`,
      updatedAt: now,
    })
    .where(eq(handoffs.id, id))
    .returning();
  return row;
}

/** Remembers where the post went; only the first recorded post counts, so a handoff is never posted twice. */
export async function recordHandoffPost(db: DbOrTx, id: number, channel: string, ts: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(handoffs)
    .set({ channel, messageTs: ts, postedAt: now, claimableSince: now, updatedAt: now })
    .where(and(eq(handoffs.id, id), isNull(handoffs.messageTs)))
    .returning({ id: handoffs.id });
  return updated.length > 0;
}

export async function findHandoff(db: DbOrTx, id: number): Promise<HandoffRow | undefined> {
  const [row] = await db.select().from(handoffs).where(eq(handoffs.id, id));
  return row;
}

/**
 * The handoff with its lead, the lead's newest signals, its criteria version's rules and minimums and the previous
 * handoff: everything its posts and DMs show.
 */
export async function loadHandoffView(db: DbOrTx, id: number): Promise<HandoffView | undefined> {
  const [row] = await db
    .select({
      handoff: handoffs,
      lead: leads,
      rules: criteriaVersions.rules,
      fitMinimum: criteriaVersions.fitMinimum,
      engagementMinimum: criteriaVersions.engagementMinimum,
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .leftJoin(criteriaVersions, eq(criteriaVersions.version, handoffs.criteriaVersion))
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
  const signals = await db
    .select({ type: leadEvents.type, at: max(leadEvents.occurredAt) })
    .from(leadEvents)
    .where(eq(leadEvents.leadId, h.leadId))
    .groupBy(leadEvents.type)
    .orderBy(desc(max(leadEvents.occurredAt)));
  return {
    ...h,
    offers: await offersOfHandoff(db, h.id),
    lead: { ...lead, breakdown: h.scoreBreakdown },
    signals: signals.flatMap((s) => (s.at ? [{ type: s.type, at: new Date(s.at) }] : [])),
    rules: row.rules ?? [],
    minimums: axisMinimums(row.fitMinimum, row.engagementMinimum),
    previous: previous
      ? {
          qualification: previous.qualification,
          decision: previous.decision,
          reasonCode: previous.reasonCode,
          note: previous.note,
          decidedBy: previous.decidedBy,
        }
      : null,
  };
}

/** A DM about a handoff that is re-rendered from its state: the claim DM, or an offer DM (with its offer). */
export interface SentHandoffDm {
  user: string;
  template: 'claimed' | 'offer';
  /** Set for offer DMs. */
  offerId: number | null;
  channel: string;
  ts: string;
}

/**
 * The claim and offer DMs sent for a handoff, with where they landed, so they can be re-rendered when its state
 * changes. They are outbox rows of kind `dm` with a `template` (see src/outbox/messages.ts).
 */
export async function findSentHandoffDms(db: DbOrTx, handoffId: number): Promise<SentHandoffDm[]> {
  const sent = await db
    .select({ payload: outbox.payload, result: outbox.result })
    .from(outbox)
    .where(
      and(
        eq(outbox.handoffId, handoffId),
        eq(outbox.kind, 'dm'),
        sql`${outbox.payload}->>'template' in ('claimed', 'offer')`,
        isNotNull(outbox.sentAt),
      ),
    )
    .orderBy(outbox.id);
  return sent.flatMap(({ payload, result }) =>
    typeof payload.user === 'string' && typeof result?.channel === 'string' && typeof result.ts === 'string'
      ? [
          {
            user: payload.user,
            template: payload.template === 'offer' ? 'offer' : 'claimed',
            offerId: typeof payload.offerId === 'number' ? payload.offerId : null,
            channel: result.channel,
            ts: result.ts,
          },
        ]
      : [],
  );
}

/** The lead of a handoff as messages name it. */
export async function findHandoffLead(db: DbOrTx, handoffId: number) {
  const [row] = await db
    .select({ name: leads.name, email: leads.email, company: leads.company, externalId: leads.externalId })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(eq(handoffs.id, handoffId));
  return row;
}

/** Each of these leads' latest handoff that has a post (the one sales sees), if any. */
export async function findLatestPostedHandoffs(db: DbOrTx, leadIds: number[]): Promise<Array<{ id: number }>> {
  if (leadIds.length === 0) return [];
  return db
    .selectDistinctOn([handoffs.leadId], { id: handoffs.id })
    .from(handoffs)
    .where(and(inArray(handoffs.leadId, leadIds), isNotNull(handoffs.messageTs)))
    .orderBy(handoffs.leadId, desc(handoffs.qualification));
}
