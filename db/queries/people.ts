import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { queryRows } from '../client.js';

const asJson = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/**
 * Serialises hand-overs of one person (by email key) until the transaction ends: two sources sending the
 * same person at once would otherwise each see no open handoff and both post. Taken in key order (no deadlock).
 */
export async function lockPeople(db: DbOrTx, emailKeys: string[]): Promise<void> {
  if (emailKeys.length === 0) return;
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended('person:' || k, 0))
        from (select k from jsonb_array_elements_text(${asJson([...new Set(emailKeys)].sort())}) as k order by k) keys`,
  );
}

/** A lead whose handoff is open (not decided): what activity of the same person is merged into. */
export interface OpenHandoffOfPerson {
  emailKey: string;
  leadId: number;
  source: string;
  externalId: string;
  name: string | null;
  email: string | null;
  company: string | null;
  handoffId: number;
}

/**
 * Per email key, the open handoff (lead in `mql` or `claimed`, no decision) of a lead with that key, the
 * oldest if there are several. Locks those handoffs, so a concurrent decision waits for the merge or is seen by it.
 */
export function lockOpenHandoffsOfPeople(db: DbOrTx, emailKeys: string[]): Promise<Map<string, OpenHandoffOfPerson>> {
  return openHandoffsOfPeople(db, emailKeys, sql`for update of h`);
}

/** Like `lockOpenHandoffsOfPeople`, to read (`/mql score`). */
export function findOpenHandoffsOfPeople(db: DbOrTx, emailKeys: string[]): Promise<Map<string, OpenHandoffOfPerson>> {
  return openHandoffsOfPeople(db, emailKeys, sql``);
}

// `= any(array(…))` rather than `in (select …)`: for a set-returning function the planner guesses 100 rows and
// could loop over every open handoff per key (0.6 s for a 1,000-lead batch); an array is probed through the index.
async function openHandoffsOfPeople(db: DbOrTx, emailKeys: string[], lock: SQL): Promise<Map<string, OpenHandoffOfPerson>> {
  const found = new Map<string, OpenHandoffOfPerson>();
  if (emailKeys.length === 0) return found;
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`select l.email_key, l.id as lead_id, l.source, l.external_id, l.name, l.email, l.company, h.id as handoff_id
        from leads l join handoffs h on h.lead_id = l.id and h.qualification = l.qualification_count
        where l.email_key = any(array(select jsonb_array_elements_text(${asJson(emailKeys)})))
          and l.stage in ('mql', 'claimed') and h.decision is null
        order by h.id
        ${lock}`,
  );
  for (const r of rows) {
    const key = String(r.email_key);
    if (found.has(key)) continue;
    found.set(key, {
      emailKey: key,
      leadId: Number(r.lead_id),
      source: String(r.source),
      externalId: String(r.external_id),
      name: r.name === null ? null : String(r.name),
      email: r.email === null ? null : String(r.email),
      company: r.company === null ? null : String(r.company),
      handoffId: Number(r.handoff_id),
    });
  }
  return found;
}

/** The handoff a lead is in now (its latest qualification), with who owns it: the claimer, else who decided. */
export interface CurrentHandoff {
  handoffId: number;
  owner: string | null;
  channel: string | null;
  messageTs: string | null;
}

export async function findCurrentHandoffs(db: DbOrTx, leadIds: number[]): Promise<Map<number, CurrentHandoff>> {
  if (leadIds.length === 0) return new Map();
  const rows = await queryRows<{
    lead_id: string | number;
    handoff_id: string | number;
    owner: string | null;
    channel: string | null;
    message_ts: string | null;
  }>(
    db,
    sql`select l.id as lead_id, h.id as handoff_id, coalesce(h.claimed_by, h.decided_by) as owner, h.channel, h.message_ts
        from leads l join handoffs h on h.lead_id = l.id and h.qualification = l.qualification_count
        where l.id = any(array(select jsonb_array_elements_text(${asJson(leadIds)})::bigint))`,
  );
  return new Map(
    rows.map((r) => [Number(r.lead_id), { handoffId: Number(r.handoff_id), owner: r.owner, channel: r.channel, messageTs: r.message_ts }]),
  );
}
