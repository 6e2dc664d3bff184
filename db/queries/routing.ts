import { desc } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { routingVersions } from '../schema.js';
import type { Route } from '../types.js';

export type RoutingVersionRow = typeof routingVersions.$inferSelect;

/** The routes in force: the highest version's, or none (version 0: every lead takes the default route). */
export async function findActiveRouting(db: DbOrTx): Promise<{ version: number; routes: Route[] }> {
  const [row] = await db.select().from(routingVersions).orderBy(desc(routingVersions.version)).limit(1);
  return row ? { version: row.version, routes: row.routes } : { version: 0, routes: [] };
}
