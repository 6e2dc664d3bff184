/*
 * `/mql routes add`: a route read with the route syntax, checked with Slack (the channel exists and the bot is in it,
 * each member is a person, each user group has members), saved as a new routing version, and shown with how the
 * last 30 days would have been spread under the new routes.
 */
import { findActiveRouting } from '../db/queries/routing.js';
import type { Deps } from '../src/deps.js';
import { assigneeProblem } from '../src/handoff/assignee.js';
import { classifyFailure } from '../src/outbox/failure.js';
import { parseRoute } from '../src/routing/route-syntax.js';
import { applyRoutesChange, saveRoutesChange, spreadOfRecentLeads, unknownConditionFields } from '../src/routing/routes-service.js';
import type { Route, RouteTeam } from '../src/routing/types.js';
import { slackAdvice } from '../src/slack/slack-advice.js';
import type { Token } from '../src/scoring/rule-tokens.js';
import { nothingChanged, routeLine, routeNotes, routesProblem, spreadLines } from './routes-format.js';
import { code, escapeMrkdwn, linesToBlocks, privately } from './reply.js';
import type { Reply, Subcommand } from './types.js';

const NOTHING_CHANGED = 'Nothing changed.';

/** `--new-field` anywhere: save a condition on a field no stored lead has yet (macOS turns `--` into a dash). */
const isNewFieldFlag = (t: Token) => !t.quoted && !t.op && /^(--|\u2013|\u2014)new-field$/i.test(t.text);
const NEW_FIELD_HINT = 'If leads will bring it later, add `--new-field` to the command to save the route anyway.';

/** Why the bot cannot post to the channel, in mrkdwn, or null when it can. */
async function channelProblem(deps: Pick<Deps, 'slack' | 'logger'>, channel: string): Promise<string | null> {
  try {
    const info = (await deps.slack.conversations.info({ channel })).channel;
    const advised = { id: channel, name: info?.name || undefined };
    if (info?.is_archived) return `${escapeMrkdwn(slackAdvice('is_archived', { channel: advised }))}.`;
    // Slack leaves is_member out for conversations it does not say it for: only an explicit false counts.
    if (info?.is_member === false) return `${escapeMrkdwn(slackAdvice('not_in_channel', { channel: advised }))} first.`;
    return null;
  } catch (error) {
    const failure = classifyFailure(error);
    // About the bot's setup (an unknown or private channel, a missing scope): what to fix. Anything else may pass.
    if (failure.kind === 'misconfigured') return `${escapeMrkdwn(slackAdvice(failure.error, { channel: { id: channel } }))}.`;
    deps.logger.warn({ err: error, channel }, 'could not check a route channel');
    return `Could not check <#${channel}> with Slack just now (${escapeMrkdwn(failure.error)}); please try again.`;
  }
}

/** Why members cannot take leads, in mrkdwn: people who are bots, deactivated or unknown, user groups without members. */
async function teamProblems(deps: Pick<Deps, 'slack' | 'logger' | 'groups'>, team: RouteTeam): Promise<string[]> {
  const problems: string[] = [];
  // One at a time: a team of 50 asked at once would run into Slack's rate limit, which the client does not retry.
  for (const user of team.users) {
    const problem = await assigneeProblem(deps, user, 'team');
    if (problem) problems.push(problem);
  }
  for (const group of team.groups) {
    if ((await deps.groups.members(group)).size === 0) {
      problems.push(
        `The user group <!subteam^${group}> has no members I can read: it does not exist, is empty or disabled, or Slack could not be reached.`,
      );
    }
  }
  return problems;
}

/** Slack's objections, mentions shown as names; a team of 50 may have many, so they go in blocks. */
function refused(problems: string[]): Reply {
  const lines = [`:warning: ${problems[0]}`, ...problems.slice(1), NOTHING_CHANGED];
  return privately(lines.join('\n'), linesToBlocks(lines));
}

/** The spread under the saved routes; the route is saved either way, so a failure here is said, not thrown. */
async function spreadAfterSaving(deps: Deps, routes: readonly Route[], now: Date): Promise<string[]> {
  try {
    return spreadLines(await spreadOfRecentLeads(deps, routes, now));
  } catch (error) {
    deps.logger.error({ err: error }, 'could not spread the recent leads over the new routes');
    return [`_How the recent leads would be spread could not be worked out just now; try ${code('/mql routes test')}._`];
  }
}

function savedReply(deps: Deps, route: Route, routes: readonly Route[], version: number, spread: string[]): Reply {
  const number = routes.findIndex((r) => r.name === route.name) + 1;
  const lines = [
    `:white_check_mark: Route *${escapeMrkdwn(route.name)}* saved as number ${number} of ${routes.length} — routing version ${version}:`,
    routeLine(route, number),
    ...routeNotes(route, routes, deps.config.routing.reassignOnClaimSla),
    '_It applies to leads handed over from now on; leads already handed over keep their route._',
    ...spread,
  ];
  return privately(`Route ${escapeMrkdwn(route.name)} saved as number ${number} — routing version ${version}`, linesToBlocks(lines));
}

export const routesAdd: Subcommand = {
  words: ['routes', 'add'],
  usage:
    '/mql routes add <name> [when <condition> [and <condition>]…] to <#channel> [team <@person> [*weight] <@group>…] [mode claim|round-robin|owner] [cap <n>] [hours] [--new-field]',
  example: '/mql routes add emea when country in "Germany, France" to #emea-sales team @ana @ben *2 mode round-robin',
  summary:
    'add a route, last in the order: conditions as in criteria rules plus score, fit and engagement, on fields the stored leads have (`--new-field` for one they will bring later); without `when` it takes every lead; a team takes turns (round-robin, `*2` = twice the leads) or owner first; `cap` open leads per rep; `hours` offers only in business hours (managers)',
  requires: 'manager',
  async run({ deps, userId, args }) {
    const parsed = parseRoute(args.filter((t) => !isNewFieldFlag(t)));
    if (!parsed.ok) return routesProblem(parsed.error, this);
    const route = parsed.value;
    if (route.businessHours && !deps.config.sla.businessHours) {
      return routesProblem(
        '`hours` makes offers wait outside business hours, and no business hours are set (BUSINESS_HOURS); ask whoever runs the bot to set them, or leave out `hours`',
        this,
      );
    }
    const db = deps.database.db;
    // Checked again when saving; first here, so a taken name is told before Slack is asked anything.
    const fits = applyRoutesChange((await findActiveRouting(db)).routes, { kind: 'add', route });
    if (!fits.ok) return routesProblem(nothingChanged(fits.error), this);
    // Refused as `criteria add` refuses such a field: a route on a misspelt field would silently never match.
    const unknownFields = args.some(isNewFieldFlag) ? [] : await unknownConditionFields(db, route);
    if (unknownFields.length) {
      return routesProblem(
        `${unknownFields.map((why) => (why.endsWith('?') ? why : `${why}.`)).join(' ')} ${NEW_FIELD_HINT} Nothing was changed.`,
        this,
      );
    }

    const channel = await channelProblem(deps, route.channel);
    if (channel) return refused([channel]);
    const members = route.team ? await teamProblems(deps, route.team) : [];
    if (members.length) return refused(members);

    const now = deps.now();
    const saved = await saveRoutesChange(db, { kind: 'add', route }, userId, now);
    if (!saved.ok) return routesProblem(nothingChanged(saved.error), this);
    return savedReply(deps, route, saved.after.routes, saved.after.version, await spreadAfterSaving(deps, saved.after.routes, now));
  },
};
