import { and, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { SCORABLE_LEAD_COLUMNS } from './leads-rescore.js';
import type { DbOrTx } from '../client.js';
import { leadEvents, leads, routingVersions } from '../schema.js';
import type { Route } from '../types.js';

export type RoutingVersionRow = typeof routingVersions.$inferSelect;

/** The routes in force: the highest version's, or none (version 0: every lead takes the default route). */
export async function findActiveRouting(db: DbOrTx): Promise<{ version: number; routes: Route[] }> {
  const [row] = await db.select().from(routingVersions).orderBy(desc(routingVersions.version)).limit(1);
  return row ? { version: row.version, routes: row.routes } : { version: 0, routes: [] };
}

/** Stores the whole ordered list as the next version (call it holding ROUTES_LOCK_KEY, so versions follow each other). */
export async function saveRoutingVersion(
  tx: DbOrTx,
  input: { routes: Route[]; change: string; createdBy: string; now: Date },
): Promise<RoutingVersionRow> {
  const [row] = await tx
    .insert(routingVersions)
    .values({
      version: sql`(select coalesce(max(${routingVersions.version}), 0) + 1 from ${routingVersions})`,
      routes: input.routes,
      change: input.change,
      createdBy: input.createdBy,
      createdAt: input.now,
    })
    .returning();
  return row!;
}

/** One version by its number, or null when there is none. */
export async function findRoutingVersion(db: DbOrTx, version: number): Promise<RoutingVersionRow | null> {
  const [row] = await db.select().from(routingVersions).where(eq(routingVersions.version, version)).limit(1);
  return row ?? null;
}

/** The newest versions first, `limit` of them, and how many there are. */
export async function listRoutingVersions(db: DbOrTx, limit: number): Promise<{ versions: RoutingVersionRow[]; total: number }> {
  const versions = await db.select().from(routingVersions).orderBy(desc(routingVersions.version)).limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(routingVersions);
  return { versions, total: Number(count?.n ?? 0) };
}

/** What a route's conditions read of a stored lead (its fields, attributes and scores) and when it was last seen. */
export type RecentLead = Pick<
  typeof leads.$inferSelect,
  | 'id'
  | 'source'
  | 'externalId'
  | 'email'
  | 'name'
  | 'company'
  | 'title'
  | 'country'
  | 'attributes'
  | 'score'
  | 'scoreBreakdown'
  | 'lastActivityAt'
  | 'createdAt'
>;

/** A lead's newest moment: when it came in or last did something. */
const seenAt = sql`greatest(${leads.createdAt}, coalesce(${leads.lastActivityAt}, ${leads.createdAt}))`;

/**
 * Qualified leads that came in or were active since `since`, the `limit` most recent of them, newest first, and how
 * many there are in all (what `/mql routes test` spreads over the routes).
 */
export async function recentQualifiedLeads(db: DbOrTx, since: Date, limit: number): Promise<{ leads: RecentLead[]; total: number }> {
  const recent = and(eq(leads.qualified, true), or(gte(leads.createdAt, since), gte(leads.lastActivityAt, since)));
  const rows = await db
    .select({
      ...SCORABLE_LEAD_COLUMNS,
      score: leads.score,
      scoreBreakdown: leads.scoreBreakdown,
      lastActivityAt: leads.lastActivityAt,
      createdAt: leads.createdAt,
    })
    .from(leads)
    .where(recent)
    .orderBy(desc(seenAt), desc(leads.id))
    .limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(leads).where(recent);
  return { leads: rows, total: Number(count?.n ?? 0) };
}

/** The events of these leads of these types (exactly as stored), for the route conditions that count them. */
export async function eventsOfLeads(
  db: DbOrTx,
  leadIds: number[],
  types: string[],
): Promise<Array<{ leadId: number; type: string; occurredAt: Date }>> {
  if (leadIds.length === 0 || types.length === 0) return [];
  return db
    .select({ leadId: leadEvents.leadId, type: leadEvents.type, occurredAt: leadEvents.occurredAt })
    .from(leadEvents)
    .where(and(inArray(leadEvents.leadId, leadIds), inArray(leadEvents.type, types)));
}
