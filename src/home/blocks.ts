/*
 * The App Home as Block Kit: the rep's part for everyone, then the manager's and the marketer's parts for
 * those roles. Pure. Home views take 100 blocks; each list is capped so all three parts fit together.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import { ACTIONS } from '../handoff/types.js';
import { routeLabel, routingCountsBlocks } from '../routing/figures.js';
import { OFFER_ACTIONS } from '../routing/types.js';
import { actions, button, context, header, section } from '../slack/blocks.js';
import { listSection } from '../sla/lead-lines.js';
import { escapeMrkdwn, formatDuration, slackDate, truncate } from '../slack/mrkdwn.js';
import type { NamedPost, RepHome, SlaMiss, TeamHome } from './model.js';

/**
 * Per list: 5 offers take 10 blocks, 10 held leads 20, 15 unclaimed 15, 10 misses 10, the day's offers (per route
 * and per rep, capped in src/routing/figures.ts) and who is away 4: all parts together stay under 80 of the 100.
 */
export const SHOWN = { offered: 5, held: 10, unclaimed: 15, misses: 10, repsLeadNames: 5, away: 15 } as const;

/** A lead's name, cut so a long one never pushes its deadline or the rest of a line out of its section. */
const leadName = (name: string) => escapeMrkdwn(truncate(name, 150));
/** The lead's name in bold, linked to its post when it has one, so the reasons are a click away. */
const namedPost = (lead: NamedPost) => (lead.link ? `*<${lead.link}|${leadName(lead.name)}>*` : `*${leadName(lead.name)}*`);
const leadsCount = (count: number) => (count === 1 ? '1 lead' : `${count} leads`);
const more = (hidden: number, what: string) => context(`…and ${hidden} more ${what}.`);

/** What a marketer's part shows: the active version, and its backtest summary (or why there is none). */
export interface CriteriaSummary {
  version: number;
  /** "total >= 30" or "fit >= 20 and engagement >= 30" (plain text). */
  qualifyingRule: string;
  /** "engagement points count for 30 days, then drop to 0" (plain text). */
  decay: string;
  rules: number;
  /** "Version 3, changed by @mia …: added rule #12" (already mrkdwn). */
  changedLine: string;
  backtest: { lines: string[] } | { error: string };
}

export interface HomeContent {
  now: Date;
  rep: RepHome;
  team?: TeamHome & { claimSlaMs: number; decisionSlaMs: number };
  criteria?: CriteriaSummary;
}

/** While a rep is away: nothing is offered to them, so say so above all else. */
function awayBlocks(away: RepHome['away']): KnownBlock[] {
  if (!away) return [];
  const until = away.until ? ` until ${slackDate(away.until)}` : '';
  return [section(`:palm_tree: You're away${until}: no leads are offered to you. \`/mql back\` when you return.`)];
}

function offeredBlocks(offered: RepHome['offered']): KnownBlock[] {
  if (!offered.length) return [];
  const blocks: KnownBlock[] = [header('Offered to you')];
  for (const lead of offered.slice(0, SHOWN.offered)) {
    blocks.push(
      section(`${namedPost(lead)} · score ${lead.score} · route ${routeLabel(lead.route)}\nAnswer by ${slackDate(lead.answerBy)}`),
      actions(
        [button('Accept', OFFER_ACTIONS.accept, String(lead.offerId), 'primary'), button('Pass', OFFER_ACTIONS.pass, String(lead.offerId))],
        `home:offer:${lead.offerId}`,
      ),
    );
  }
  if (offered.length > SHOWN.offered) blocks.push(more(offered.length - SHOWN.offered, 'offered to you'));
  return [...blocks, { type: 'divider' }];
}

/** An unclaimed lead: with **Claim**, or who holds the offer on it, or that its team is being offered it (a Claim click would be refused). */
function unclaimedBlock(lead: RepHome['unclaimed'][number]): KnownBlock {
  const line = `${namedPost(lead)} · score ${lead.score} · waiting ${formatDuration(lead.waitedMs)}`;
  const block_id = `home:unclaimed:${lead.id}`;
  if (lead.offer) return { ...section(`${line}\nOffered to <@${lead.offer.to}> until ${slackDate(lead.offer.until)}`), block_id };
  if (lead.withTeam) return { ...section(`${line}\nBeing offered to its team, one rep at a time`), block_id };
  return { ...section(line), block_id, accessory: button('Claim', ACTIONS.claim, String(lead.id), 'primary') };
}

function repBlocks({ offered, held, unclaimed, away }: RepHome, now: Date): KnownBlock[] {
  const blocks: KnownBlock[] = [...awayBlocks(away), ...offeredBlocks(offered), header('My leads')];
  if (!held.length) blocks.push(section('You hold no leads. Claim one below when you can take it.'));
  for (const lead of held.slice(0, SHOWN.held)) {
    const overdue = lead.decideBy <= now ? ' · :warning: overdue' : '';
    blocks.push(
      section(`${namedPost(lead)} · score ${lead.score}\nDecide by ${slackDate(lead.decideBy)}${overdue}`),
      actions(
        [
          button('Accept', ACTIONS.accept, String(lead.id), 'primary'),
          button('Reject', ACTIONS.reject, String(lead.id), 'danger'),
          button('Release', ACTIONS.release, String(lead.id)),
        ],
        `home:held:${lead.id}`,
      ),
    );
  }
  if (held.length > SHOWN.held) blocks.push(more(held.length - SHOWN.held, 'that you hold'));

  blocks.push({ type: 'divider' }, header('Unclaimed now'));
  if (!unclaimed.length) blocks.push(section('No lead is waiting for an owner.'));
  blocks.push(...unclaimed.slice(0, SHOWN.unclaimed).map(unclaimedBlock));
  if (unclaimed.length > SHOWN.unclaimed) blocks.push(more(unclaimed.length - SHOWN.unclaimed, 'unclaimed'));
  return blocks;
}

export function missLine(miss: SlaMiss, sla: { claimSlaMs: number; decisionSlaMs: number }): string {
  const name = namedPost(miss);
  const took = formatDuration(miss.tookMs);
  const claimSla = `claim SLA ${formatDuration(sla.claimSlaMs)}`;
  const decisionSla = `decision SLA ${formatDuration(sla.decisionSlaMs)}`;
  switch (miss.kind) {
    case 'unclaimed':
      return `${name} — unclaimed for ${took} (${claimSla})`;
    case 'undecided':
      return `${name} — <@${miss.who}> has not decided in ${took} (${decisionSla})`;
    case 'claimed_late':
      return `${name} — claimed late by <@${miss.who}>, after ${took} (${claimSla})`;
    case 'decided_late':
      return `${name} — decided late by <@${miss.who}>, after ${took} (${decisionSla})`;
  }
}

function teamBlocks(team: NonNullable<HomeContent['team']>): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Team: open leads by rep')];
  const repLine = ({ rep, leads }: TeamHome['byRep'][number]) => {
    const names = leads.slice(0, SHOWN.repsLeadNames).map(leadName).join(', ');
    const rest = leads.length > SHOWN.repsLeadNames ? ` and ${leads.length - SHOWN.repsLeadNames} more` : '';
    return `<@${rep}> — ${leadsCount(leads.length)}: ${names}${rest}`;
  };
  const lines = [...team.byRep.map(repLine), `Unclaimed: ${leadsCount(team.unclaimed)}`];
  blocks.push(section(team.byRep.length ? lines.join('\n') : `Nobody holds a lead. Unclaimed: ${leadsCount(team.unclaimed)}`));

  blocks.push(header('SLA misses today'));
  if (!team.misses.length) blocks.push(section('No SLA was missed today.'));
  for (const miss of team.misses.slice(0, SHOWN.misses)) {
    const line = section(missLine(miss, team));
    // Only a lead still waiting can be handed to someone; a late claim or decision is done.
    const open = miss.kind === 'unclaimed' || miss.kind === 'undecided';
    blocks.push(
      open ? { ...line, block_id: `home:miss:${miss.id}`, accessory: button('Assign', ACTIONS.reassign, String(miss.id)) } : line,
    );
  }
  if (team.misses.length > SHOWN.misses) blocks.push(more(team.misses.length - SHOWN.misses, 'misses'));
  return [...blocks, ...routingTodayBlocks(team)];
}

/** The day's offers per route and per rep, and who is away; nothing on an install that offers no leads and where nobody is away. */
function routingTodayBlocks({ offersToday, away }: TeamHome): KnownBlock[] {
  if (!offersToday && !away.length) return [];
  const blocks: KnownBlock[] = [header('Routing today')];
  if (offersToday) blocks.push(...routingCountsBlocks('Offers today', offersToday));
  if (away.length) {
    const until = (date: Date | null) => (date ? `until ${slackDate(date)}` : 'until they say they are back');
    blocks.push(
      listSection(
        '*Away now*',
        away.map((a) => `• <@${a.rep}> ${until(a.until)}`),
        SHOWN.away,
      ),
    );
  }
  return blocks;
}

function criteriaBlocks(c: CriteriaSummary): KnownBlock[] {
  const rules = c.rules === 1 ? '1 rule' : `${c.rules} rules`;
  return [
    { type: 'divider' },
    header('Scoring criteria'),
    section(
      `*Version ${c.version}* · qualifies at ${escapeMrkdwn(c.qualifyingRule)} · ${rules} · ${escapeMrkdwn(c.decay)}\n${c.changedLine}`,
    ),
    'error' in c.backtest
      ? section(`Backtest unavailable: ${escapeMrkdwn(c.backtest.error)}`)
      : section(`*Backtest of this version*\n${c.backtest.lines.join('\n')}`),
  ];
}

export function homeView(content: HomeContent): HomeView {
  return {
    type: 'home',
    blocks: [
      ...repBlocks(content.rep, content.now),
      ...(content.team ? teamBlocks(content.team) : []),
      ...(content.criteria ? criteriaBlocks(content.criteria) : []),
    ],
  };
}
