/*
 * Where a route sends its leads, in the route syntax: the channel and the team (people with optional weights, user
 * groups). Pure; errors are sentences naming the problem (route-syntax.ts reads the rest of a route).
 */
import { fail, ok, showToken, type Parsed, type Token } from '../scoring/rule-tokens.js';
import type { RouteTeam } from './types.js';

const MAX_MEMBERS = 50;
const MAX_WEIGHT = 10;

export const CHANNEL_HOW =
  'pick the channel from the list as you type # (Slack then sends its id), or give its id (C…, at the bottom of the channel details)';
const WEIGHT_EXAMPLE = '`@ana *2` gets twice the leads of the others';
const MEMBER_HOW = 'pick people and user groups from the list as you type @ (Slack then sends their ids), or give their ids (U…, S…)';

/** Slack's mention (its label already dropped by commands/parse.ts), or the bare id. */
const ID_FORMS = {
  channel: [/^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/, /^([CG][A-Z0-9]{2,})$/],
  user: [/^<@([UW][A-Z0-9]+)>$/, /^([UW][A-Z0-9]{2,})$/],
  group: [/^<!subteam\^(S[A-Z0-9]+)>$/, /^(S[A-Z0-9]{2,})$/],
};
const idOf = (kind: keyof typeof ID_FORMS, text: string) => ID_FORMS[kind].map((form) => form.exec(text)?.[1]).find(Boolean) ?? null;

/** A Slack mention as sent (`<@U1>`, `<#C1>`, `<!subteam^S1>`), a weight perhaps glued on. */
const MENTION = /^(<(?:@[UW]|#[CG]|!subteam\^S)[A-Z0-9]+>)(.*)$/;

/**
 * A typed token inside an error sentence. A mention stays outside code, where Slack shows it as the name the user
 * picked (inside code it would show as `<@U1>`); anything else goes in code, as typed.
 */
export function quoteToken(token: Token): string {
  const mention = token.quoted || token.op ? null : MENTION.exec(token.text);
  if (!mention) return `\`${showToken(token)}\``;
  return mention[2] ? `${mention[1]} \`${mention[2]}\`` : mention[1]!;
}

/** `<#C123>` or a bare `C…`/`G…` id. */
export function parseChannel(token: Token): Parsed<string> {
  const id = token.quoted ? null : idOf('channel', token.text);
  if (id) return ok(id);
  const person = !token.quoted && idOf('user', token.text);
  const group = !token.quoted && idOf('group', token.text);
  const what = token.text.startsWith('#')
    ? 'is a channel name, which Slack did not turn into a channel'
    : person
      ? 'is a person, not a channel'
      : group
        ? 'is a user group, not a channel'
        : 'is not a channel';
  return fail(`${quoteToken(token)} ${what}: ${CHANNEL_HOW}`);
}

/** A member's mention as Slack shows it (by name), for error sentences. */
const memberMention = (member: Pick<Member, 'kind' | 'id'>) => (member.kind === 'user' ? `<@${member.id}>` : `<!subteam^${member.id}>`);

/**
 * Text glued to a mention (`@ana:2`) reaches the team as `<`, `@U1`, `>`, `:2`: Slack's mention broken at its
 * brackets. Names the mention and what follows it rather than a `<` the user never typed; null when it is not that.
 */
function gluedToMention(tokens: Token[], i: number): string | null {
  const [open, id, close, after] = tokens.slice(i, i + 4);
  if (open?.text !== '<' || !id || id.op || id.quoted || !close?.op || !close.text.startsWith('>')) return null;
  const mention = `<${id.text}>`;
  if (!MENTION.test(mention)) return null;
  const glued = `${close.text.slice(1)}${after && !after.op ? showToken(after) : ''}`;
  return `${mention} has ${glued ? `\`${glued}\`` : 'text'} glued to it; write a person's weight after a space: ${WEIGHT_EXAMPLE}`;
}

type Member = { kind: 'user' | 'group'; id: string; weight: number | null };

/**
 * `<@U1>`, `<!subteam^S1>`, `U1`, `S1`; a person optionally with a weight after them: `<@U1> *2` (as Slack's
 * autocomplete leaves a space after a mention), or glued to an id, `U1*2`.
 */
function parseMember(token: Token, weightToken: Token | undefined): Parsed<{ member: Member; used: number }> {
  // A stray `<` or `>` (text Slack did not turn into a mention) reaches here as an operator.
  if (token.op) return fail(`unexpected \`${token.text}\` in the team; write a person's weight after a space: ${WEIGHT_EXAMPLE}`);
  const glued = token.quoted ? null : /^(.+)\*(\d+)$/.exec(token.text);
  const separate = !glued && weightToken && !weightToken.quoted ? /^\*(\d+)$/.exec(weightToken.text) : null;
  const text = glued ? glued[1]! : token.text;
  const weightText = glued?.[2] ?? separate?.[1] ?? null;
  const user = token.quoted ? null : idOf('user', text);
  const group = token.quoted ? null : idOf('group', text);
  if (!user && !group) {
    if (/^@/.test(text)) return fail(`${quoteToken(token)} is a name, which Slack did not turn into a mention: ${MEMBER_HOW}`);
    if (idOf('channel', text)) return fail(`${quoteToken(token)} is a channel, not a person or a user group: ${MEMBER_HOW}`);
    return fail(`${quoteToken(token)} is not a person or a user group: ${MEMBER_HOW}`);
  }
  const used = separate ? 2 : 1;
  if (weightText === null) return ok({ member: { kind: user ? 'user' : 'group', id: (user ?? group)!, weight: null }, used });
  if (group) return fail(`a weight is for a person; the user group ${memberMention({ kind: 'group', id: group })} cannot have one`);
  const weight = Number(weightText);
  if (weight < 1 || weight > MAX_WEIGHT) {
    return fail(`a weight is a whole number from 1 to ${MAX_WEIGHT} (${WEIGHT_EXAMPLE}), not \`*${weightText}\``);
  }
  return ok({ member: { kind: 'user', id: user!, weight }, used });
}

/** The members after `team`, up to the next option word (`isOption`). */
export function parseTeam(
  tokens: Token[],
  start: number,
  isOption: (token: Token | undefined) => boolean,
): Parsed<{ team: RouteTeam; next: number }> {
  const team: RouteTeam = { users: [], groups: [], weights: {} };
  let i = start;
  while (i < tokens.length && !isOption(tokens[i])) {
    const glued = gluedToMention(tokens, i);
    if (glued) return fail(glued);
    const read = parseMember(tokens[i]!, tokens[i + 1]);
    if (!read.ok) return read;
    const { member, used } = read.value;
    const list = member.kind === 'user' ? team.users : team.groups;
    if (list.includes(member.id)) return fail(`${memberMention(member)} is in the team twice`);
    list.push(member.id);
    if (member.weight !== null && member.weight !== 1) team.weights[member.id] = member.weight;
    i += used;
  }
  const size = team.users.length + team.groups.length;
  if (size === 0) return fail(`missing the members after \`team\`; ${MEMBER_HOW}`);
  if (size > MAX_MEMBERS) return fail(`a team has at most ${MAX_MEMBERS} members (people and user groups), not ${size}`);
  return ok({ team, next: i });
}

/** The team's members as typed: people (with their weight when it is not 1), then user groups. */
export function teamSyntax(team: RouteTeam): string {
  const users = team.users.map((u) => `<@${u}>${(team.weights[u] ?? 1) !== 1 ? ` *${team.weights[u]}` : ''}`);
  return [...users, ...team.groups.map((g) => `<!subteam^${g}>`)].join(' ');
}
