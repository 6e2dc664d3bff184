import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../client.js';

/** The email key of a handoff's lead (trimmed, lower case; see leads.email_key), or null when it has none. */
export async function findHandoffEmailKey(db: DbOrTx, handoffId: number): Promise<string | null> {
  const [row] = await queryRows<{ email_key: string | null }>(
    db,
    sql`select l.email_key from handoffs h join leads l on l.id = h.lead_id where h.id = ${handoffId}::bigint`,
  );
  return row?.email_key ?? null;
}

/**
 * Who works the most recent other handoff, created in [since, now], that is claimed and open or accepted, whose lead
 * has `emailKey` or (when `domain` is given) an email key at that domain: its claimer, else who accepted it.
 */
export async function findRecentOwner(
  db: DbOrTx,
  input: { handoffId: number; emailKey: string; domain: string | null; since: Date; now: Date },
): Promise<string | null> {
  const { handoffId, emailKey, domain, since, now } = input;
  // A suffix test rather than `like`: a domain's own `_` and `%` would be wildcards.
  const sameDomain = domain === null ? sql`false` : sql`right(l.email_key, ${domain.length + 1}::int) = ${`@${domain}`}::text`;
  const [row] = await queryRows<{ owner: string | null }>(
    db,
    sql`select coalesce(h.claimed_by, h.decided_by) as owner
        from handoffs h join leads l on l.id = h.lead_id
        where h.id <> ${handoffId}::bigint
          and h.created_at >= ${since.toISOString()}::timestamptz and h.created_at <= ${now.toISOString()}::timestamptz
          and ((h.decision is null and h.claimed_by is not null) or h.decision = 'accepted')
          and (l.email_key = ${emailKey}::text or ${sameDomain})
        order by h.created_at desc, h.id desc
        limit 1`,
  );
  return row?.owner ?? null;
}
