import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { leads } from '../schema.js';

/**
 * Leads of the person with `emailKey` (src/leads/email-key.ts: any case, spaces, maybe plus-addressing) or
 * whose external id (any source) is `key`, most recently updated first, with how many match in all.
 */
export async function findLeadsByEmailOrExternalId(db: DbOrTx, key: string, emailKey: string | null, limit: number) {
  const rows = await db
    .select({ lead: leads, total: sql<number>`(count(*) over ())::int` })
    .from(leads)
    .where(sql`${leads.emailKey} = ${emailKey} or ${leads.externalId} = ${key}`)
    .orderBy(sql`${leads.updatedAt} desc, ${leads.id} desc`)
    .limit(limit);
  return { leads: rows.map((r) => r.lead), total: rows[0]?.total ?? 0 };
}
