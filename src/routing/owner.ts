/* Who already works a lead's person or company, so an `owner` route offers the lead to them first. */
import freeMailDomains from 'email-providers/all.json' with { type: 'json' };
import type { DbOrTx } from '../../db/client.js';
import { findHandoffEmailKey, findRecentOwner } from '../../db/queries/owners.js';

/** How far back an earlier handoff makes its rep the owner. */
const OWNER_WINDOW_MS = 90 * 24 * 3_600_000;

/** Mail providers anyone can sign up with: sharing one says nothing about sharing a company. */
const FREE_MAIL = new Set<string>(freeMailDomains);

/** The company domain of an email key (`ana@acme.com` → `acme.com`); null for free mail or no domain. */
export function companyDomain(emailKey: string): string | null {
  const at = emailKey.lastIndexOf('@');
  const domain = at < 0 ? '' : emailKey.slice(at + 1);
  return domain && !FREE_MAIL.has(domain) ? domain : null;
}

/**
 * Who already works this handoff's person or company: the claimer (or decider, for accepted) of another handoff, open
 * (decision null, claimed) or accepted, created within 90 days of `now`, whose lead has the same email_key, or the same
 * email domain when that domain is not free mail (the `email-providers` list). The most recent such handoff wins.
 * Null when none.
 */
export async function findOwner(db: DbOrTx, handoffId: number, now: Date): Promise<string | null> {
  const emailKey = await findHandoffEmailKey(db, handoffId);
  if (!emailKey) return null;
  const since = new Date(now.getTime() - OWNER_WINDOW_MS);
  return findRecentOwner(db, { handoffId, emailKey, domain: companyDomain(emailKey), since, now });
}
