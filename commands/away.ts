/*
 * `/mql away [@rep] [until …]`: routing offers no leads to a rep while they are away. Anyone may set themselves away;
 * naming another rep takes a manager, and the rep is told by DM. `/mql back` (back.ts) ends the spell.
 */
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../db/queries/audit-log.js';
import { findAwayReps, setAway } from '../db/queries/rep-away.js';
import { lockRouting } from '../db/queries/routing-load.js';
import type { Deps } from '../src/deps.js';
import { dm, queueMessages } from '../src/outbox/messages.js';
import { awayPeriod, parseAway } from '../src/routing/away-syntax.js';
import { withdrawOpenOffersOf } from '../src/routing/offer-answers.js';
import { ROUTING_LOCK_KEY } from '../src/routing/types.js';
import type { Token } from '../src/scoring/rule-tokens.js';
import { mentionPeople, nobodyHolds } from '../src/slack/roles.js';
import { code, privately, problem } from './reply.js';
import type { Reply, Subcommand, Usage } from './types.js';

const USER_MENTION = /^<@([UW][A-Z0-9]+)>$/;

/** Whom the command is about (the caller, or the one rep it mentions) and the words left; or what was wrong. */
export function splitTarget(args: Token[], caller: string): { target: string; rest: Token[] } | { error: string } {
  const mentions = args.filter((t) => !t.quoted && t.text.startsWith('<'));
  const loose = args.find((t) => !t.quoted && /^@\S/.test(t.text));
  if (loose)
    return { error: `\`${loose.text}\` is not a mention Slack recognised; pick the person from the list that opens as you type @` };
  if (mentions.length > 1) return { error: 'name one rep at a time' };
  const [mention] = mentions;
  if (!mention) return { target: caller, rest: args };
  const user = USER_MENTION.exec(mention.text)?.[1];
  if (!user) return { error: `${notAPerson(mention.text)} is not a person; name one rep with an @-mention` };
  return { target: user, rest: args.filter((t) => t !== mention) };
}

/** What a mention that names no person is, in words: Slack would not render its markup inside a code span. */
function notAPerson(mention: string): string {
  if (mention.startsWith('<#')) return 'A channel';
  if (mention.startsWith('<!subteam^')) return 'A user group';
  const special = /^<!(here|channel|everyone)>$/.exec(mention)?.[1];
  return `\`${special ? `@${special}` : mention}\``;
}

/**
 * The time zone a rep's own words (`until 17:00`, `until friday`) mean: theirs in Slack, or TZ_DIGEST when Slack
 * cannot say (no zone set, or Slack not answering), which the reply then says.
 */
async function timeZoneOf(deps: Deps, userId: string): Promise<{ timeZone: string; fromSlack: boolean }> {
  try {
    const { user } = await deps.slack.users.info({ user: userId });
    if (user?.tz && isTimeZone(user.tz)) return { timeZone: user.tz, fromSlack: true };
  } catch (error) {
    deps.logger.warn({ err: error, user: userId }, "could not read a rep's time zone from Slack; using TZ_DIGEST");
  }
  return { timeZone: deps.config.sla.timeZone, fromSlack: false };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Null when the caller may act for `target`: themselves always, someone else only as a manager. */
export async function refusalForOthers(deps: Deps, caller: string, target: string, doing: string): Promise<Reply | null> {
  if (target === caller || (await deps.roles.has(caller, 'manager'))) return null;
  const managers = await deps.roles.members('manager');
  const who = managers.length ? `: ${mentionPeople(managers)}.` : `. ${nobodyHolds('manager')}`;
  return privately(`:no_entry: Only managers may ${doing}${who} Nothing was done.`);
}

/** A DM's dedupe key: each command is its own occasion, however alike two of them are. */
export const occasion = (action: string) => `${action}:${randomUUID()}`;

const USAGE: Usage = {
  usage: '/mql away [@rep] [until <time, date or day> | for <duration>]',
  example: '/mql away until friday',
  summary: 'stop leads being offered to you (or, managers, to a rep) until a time, for a while, or until `/mql back`',
};

export const away: Subcommand = {
  words: ['away'],
  ...USAGE,
  async run({ deps, userId, args }) {
    const split = splitTarget(args, userId);
    if ('error' in split) return problem(split.error, USAGE);
    const { target, rest } = split;
    const refused = await refusalForOthers(deps, userId, target, 'set someone else away');
    if (refused) return refused;
    const now = deps.now();
    const forOther = target !== userId;
    // Only words after `away` need a zone; `/mql away` alone asks Slack nothing.
    const zone = rest.length ? await timeZoneOf(deps, target) : { timeZone: deps.config.sla.timeZone, fromSlack: false };
    const spell = parseAway(rest, now, zone.timeZone);
    if (!spell.ok) return problem(spell.error, USAGE);

    const { timeZone } = zone;
    const period = awayPeriod(spell.value, now, timeZone);
    const zoneNote =
      spell.value.zoned && !zone.fromSlack
        ? ` Read in ${timeZone}, the team's time zone, as Slack did not say ${forOther ? 'theirs' : 'yours'}.`
        : '';
    await deps.database.db.transaction(async (tx) => {
      // An offer being made now either commits first (and is withdrawn below) or sees the rep away.
      await lockRouting(tx, ROUTING_LOCK_KEY);
      const before = (await findAwayReps(tx, [target], now)).get(target);
      await setAway(tx, { userId: target, awayUntil: spell.value.until, since: now, setBy: userId });
      await recordAudit(
        tx,
        [
          {
            actor: userId,
            action: 'rep.away',
            entity: 'rep',
            entityId: target,
            fromState: before ? 'away' : 'available',
            toState: 'away',
            details: {
              until: spell.value.until?.toISOString() ?? null,
              ...(spell.value.zoned ? { timeZone } : {}),
              ...(before ? { previousUntil: before.awayUntil?.toISOString() ?? null } : {}),
            },
          },
        ],
        now,
      );
      if (forOther) {
        const told = `<@${userId}> marked you away ${period ?? 'until you are back'}: no leads will be offered to you. ${code('/mql back')} when you return.`;
        await queueMessages(tx, [dm(null, target, told, occasion('rep.away'))], now);
      }
    });
    if (forOther) deps.wakeOutbox();

    const passedOn = await withdrawOffers(deps, target, userId, now, forOther ? 'them' : 'you');
    if (forOther) return privately(`<@${target}> is away ${period ?? 'until they are back'}; they were told.${zoneNote}${passedOn}`);
    return privately(
      `You're away ${period ?? "until you say you're back"}: no leads will be offered to you. ${code('/mql back')} when you return.${zoneNote}${passedOn}`,
    );
  },
};

/** Passes the rep's unanswered offers on; what to add to the reply about them. */
async function withdrawOffers(deps: Deps, target: string, actor: string, now: Date, whom: 'you' | 'them'): Promise<string> {
  try {
    const withdrawn = await withdrawOpenOffersOf(deps, target, actor, now);
    if (withdrawn === 0) return '';
    return withdrawn === 1
      ? ` The lead offered to ${whom} goes to the next rep.`
      : ` The ${withdrawn} leads offered to ${whom} go to the next rep.`;
  } catch (error) {
    deps.logger.error({ err: error, user: target }, 'could not withdraw the open offers of a rep who went away');
    return ` The leads offered to ${whom} could not be passed on just now: each goes to the next rep when its time runs out.`;
  }
}
