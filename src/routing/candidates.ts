/*
 * Who can be offered a lead: a route's team as users, who of them is in Slack's Do Not Disturb, and each one as the
 * chooser (chooser.ts) sees them, read from the database in the caller's transaction.
 */
import type { WebClient } from '@slack/web-api';
import type { DbOrTx } from '../../db/client.js';
import { findAwayReps } from '../../db/queries/rep-away.js';
import { countOffersBetween, countOpenClaims, countOpenOffers, findUsersOffered } from '../../db/queries/routing-load.js';
import type { Deps } from '../deps.js';
import type { Candidate } from './chooser.js';
import type { RouteTeam } from './types.js';

export interface TeamMembers {
  users: string[];
  weights: Record<string, number>;
  /** User groups Slack could not list just now (and never listed before): who is in the team is not known. */
  unread?: string[];
}

/** A route team's users and groups (deps.groups.members) as users, deduplicated, in the order written; weight default 1. */
export async function expandTeam(deps: Pick<Deps, 'groups'>, team: RouteTeam): Promise<TeamMembers> {
  const users = new Set(team.users);
  const unread: string[] = [];
  for (const group of team.groups) {
    const members = await deps.groups.tryMembers(group);
    if (members === null) unread.push(group);
    for (const user of members ?? []) users.add(user);
  }
  const weights = Object.fromEntries([...users].map((u) => [u, team.weights[u] ?? 1]));
  return { users: [...users], weights, ...(unread.length && { unread }) };
}

/** A Do Not Disturb answer is reused this long: routing asks on every offer, Slack limits how often it may be asked. */
const DND_CACHE_MS = 60_000;
/** Per Slack client (one per app), per user: the answer, or the lookup in flight, and until when it holds. */
const dndCaches = new WeakMap<WebClient, Map<string, { inDnd: Promise<boolean>; until: number }>>();

/**
 * Which of `users` are in Slack Do Not Disturb now (dnd.info). Empty unless config.routing.respectDnd. Cached 60 s
 * per user; a failed lookup counts as not in DND (logged once per user per minute). Call it OUTSIDE transactions.
 */
export async function usersInDnd(deps: Pick<Deps, 'config' | 'slack' | 'logger' | 'now'>, users: string[]): Promise<Set<string>> {
  if (!deps.config.routing.respectDnd || users.length === 0) return new Set();
  const cache = dndCaches.get(deps.slack) ?? new Map();
  dndCaches.set(deps.slack, cache);
  const at = deps.now().getTime();
  const answers = users.map((user) => {
    const cached = cache.get(user);
    if (cached && cached.until > at) return cached.inDnd;
    // A failure is cached like an answer, so Slack is not asked (nor the failure logged) again within the minute.
    const inDnd = askDnd(deps, user, at);
    cache.set(user, { inDnd, until: at + DND_CACHE_MS });
    return inDnd;
  });
  const flags = await Promise.all(answers);
  return new Set(users.filter((_, i) => flags[i]));
}

async function askDnd(deps: Pick<Deps, 'slack' | 'logger'>, user: string, at: number): Promise<boolean> {
  try {
    const res = (await deps.slack.dnd.info({ user })) as {
      dnd_enabled?: boolean;
      next_dnd_start_ts?: number;
      next_dnd_end_ts?: number;
      snooze_enabled?: boolean;
      snooze_endtime?: number;
    };
    const seconds = at / 1000;
    // Snoozed by hand, or inside the scheduled quiet hours (while they run, "next" start is the current one's).
    const snoozed = res.snooze_enabled === true && (res.snooze_endtime === undefined || res.snooze_endtime > seconds);
    const scheduled =
      res.dnd_enabled === true &&
      res.next_dnd_start_ts !== undefined &&
      res.next_dnd_end_ts !== undefined &&
      res.next_dnd_start_ts <= seconds &&
      seconds < res.next_dnd_end_ts;
    return snoozed || scheduled;
  } catch (error) {
    deps.logger.warn({ err: error, user }, 'could not read Do Not Disturb; offering as if not in it');
    return false;
  }
}

/**
 * The chooser's view (src/routing/chooser.ts Candidate) of each user for this handoff at `now`, read in the caller's
 * transaction (the caller holds the routing advisory lock, so loads cannot change underneath):
 * away (rep_away), inDnd (from the set), load = open claims + open offers, cap, offeredAlready (any offer row of this
 * handoff to the user), assignments / lastAssignedAt = offers made to the user in [now - windowMs, now].
 */
export async function candidatesFor(
  tx: DbOrTx,
  input: {
    users: string[];
    weights: Record<string, number>;
    cap: number | null;
    handoffId: number;
    inDnd: ReadonlySet<string>;
    windowMs: number;
    now: Date;
  },
): Promise<Candidate[]> {
  const { users, now } = input;
  const away = await findAwayReps(tx, users, now);
  const claims = await countOpenClaims(tx, users);
  const openOffers = await countOpenOffers(tx, users);
  const offered = await findUsersOffered(tx, input.handoffId, users);
  const recent = await countOffersBetween(tx, users, new Date(now.getTime() - input.windowMs), now);
  return users.map((userId) => ({
    userId,
    weight: input.weights[userId] ?? 1,
    away: away.has(userId),
    inDnd: input.inDnd.has(userId),
    load: (claims.get(userId) ?? 0) + (openOffers.get(userId) ?? 0),
    cap: input.cap,
    offeredAlready: offered.has(userId),
    assignments: recent.get(userId)?.offers ?? 0,
    lastAssignedAt: recent.get(userId)?.lastOfferedAt ?? null,
  }));
}
