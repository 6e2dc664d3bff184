import type { KnownBlock } from '@slack/types';
import { actions, button, context, fields, header, section, LIMITS } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, limitList, slackDate, truncate, truncateMrkdwn } from '../slack/mrkdwn.js';
import { slaDeadline } from '../sla/clock.js';
import { signalPhrase } from '../leads/signal-words.js';
import { leadName } from '../leads/display-name.js';
import { historyLines, previousLine, reasonLabel } from './history-lines.js';
import { keyFields } from './post-fields.js';
import { axisSplit, qualifiesAt, reasonLines, when } from './reasons.js';
import type { HandoffOffer } from '../../db/types.js';
import { ACTIONS, stateOf, type HandoffView, type RenderContext } from './types.js';

const MAX_REASONS = 8;

/** "VP Eng at Acme", "VP Eng", "Acme", or null: who the person is, in plain text (callers escape it). */
export function roleLine(lead: HandoffView['lead']): string | null {
  const title = lead.title?.trim() || null;
  const company = lead.company?.trim() && lead.company.trim() !== leadName(lead) ? lead.company.trim() : null;
  if (title && company) return `${title} at ${company}`;
  return title ?? company;
}

/** The manager's reassignment that made the current claim, when it was one. */
export function reassignmentOf(v: Pick<HandoffView, 'history' | 'claimedBy' | 'claimedAt'>) {
  const last = v.history.at(-1);
  return last?.kind === 'reassigned' && last.to === v.claimedBy && last.at === v.claimedAt?.toISOString() ? last : null;
}

/** The state in a few words, for the notification text: what to do, or who has it, or how it ended. */
function statusText(v: HandoffView, ctx: RenderContext): string {
  switch (stateOf(v)) {
    case 'unclaimed': {
      const offer = openOfferOf(v);
      if (offer) return `offered to <@${offer.userId}>`;
      return v.offerMode ? 'to be offered to the team' : `claim within ${formatDuration(ctx.sla.claimSlaMs)}`;
    }
    case 'claimed':
      return `${reassignmentOf(v) ? 'reassigned to' : 'claimed by'} <@${v.claimedBy}>`;
    default:
      return stateOf(v);
  }
}

/** The notification text (push, screen readers, clients without blocks): who, how strong, what to do. */
export function mqlFallbackText(v: HandoffView, ctx: RenderContext): string {
  const name = leadName(v.lead);
  const title = v.lead.title?.trim();
  const company = v.lead.company?.trim();
  const who = `${name}${title ? `, ${title}` : ''}${company && company !== name ? ` at ${company}` : ''}`;
  const status = statusText(v, ctx);
  const kind = v.qualification > 1 ? 'Re-qualified MQL' : 'New MQL';
  return truncateMrkdwn(
    `${kind}: ${escapeMrkdwn(who)} · score ${v.score} (qualifies at ${qualifiesAt(v)}) · ${status}`,
    LIMITS.fallbackText,
  );
}

/** The newest signal, the lead's own or one merged in from the same person's other lead. */
function lastActivity(v: HandoffView): string | null {
  const own = v.signals.map((s) => ({ what: signalPhrase(s.type), at: s.at }));
  const merged = v.history.flatMap((e) => (e.kind === 'activity' ? [{ what: e.summary, at: new Date(e.at) }] : []));
  const newest = [...own, ...merged].reduce<{ what: string; at: Date } | null>((a, s) => (!a || s.at > a.at ? s : a), null);
  if (newest) return `Last activity: ${escapeMrkdwn(truncate(newest.what, 200))} · ${when(newest.at)}`;
  return v.lead.lastActivityAt ? `Last activity ${when(v.lead.lastActivityAt)}` : null;
}

const CRM_STAGE_TEXT = { opportunity: 'an opportunity', won: 'won', lost: 'lost' } as const;

/** What the CRM last said of the lead (e.g. it is won already): reps see it before they claim or decide. */
function crmLine(v: HandoffView): string | null {
  const { crmStage, crmStageAt } = v.lead;
  return crmStage && crmStageAt ? `CRM: *${CRM_STAGE_TEXT[crmStage]}* since ${when(crmStageAt)}` : null;
}

/**
 * "Score *75* · fit 30 · engagement 45 (qualifies at 30)": the score when the lead qualified, both axes and the
 * line it crossed. Posts are not re-scored as engagement decays: this is why the lead was handed over.
 */
function scoreLine(v: HandoffView): string {
  const split = axisSplit(v);
  const axes = split ? ` · fit ${split.fit} · engagement ${split.engagement}` : '';
  return `Score *${v.score}*${axes} (qualifies at ${qualifiesAt(v)})`;
}

/** What the post says about the lead, whatever the handoff's state: the claim DM repeats it. */
export function leadDetailBlocks(v: HandoffView, ctx: RenderContext): KnownBlock[] {
  const role = roleLine(v.lead);
  const reasons = limitList(reasonLines(v), MAX_REASONS, (n) => `and ${n} more`);
  const keys = keyFields(v.lead, ctx.postFields);
  const score = [
    scoreLine(v),
    `criteria version ${v.criteriaVersion}${v.qualification > 1 ? ` · qualification #${v.qualification}` : ''}`,
    lastActivity(v),
    crmLine(v),
  ];
  const history = historyLines(v.history);
  return [
    header(leadName(v.lead)),
    ...(role ? [section(`*${escapeMrkdwn(truncate(role, 500))}*`)] : []),
    ...(reasons.length ? [section(reasons.map((r) => `• ${r}`).join('\n'))] : []),
    ...(keys.length ? [fields(keys)] : []),
    context(score.filter(Boolean).join(' · ')),
    ...(v.previous ? [context(previousLine(v.previous))] : []),
    ...(history.length ? [context(history.join('\n'))] : []),
  ];
}

/** The sales-channel post for a handoff in its current state. */
export function mqlPostBlocks(v: HandoffView, ctx: RenderContext): KnownBlock[] {
  return [...leadDetailBlocks(v, ctx), ...statusBlocks(v, ctx)].slice(0, LIMITS.blocks);
}

/**
 * Since when the lead has waited, measured from its first post, and when it must be claimed: after a
 * release the claim clock restarts, and the line says both.
 */
function waitingLine(v: HandoffView, ctx: RenderContext): string {
  const { now, sla } = ctx;
  const since = v.claimableSince ?? v.postedAt ?? now;
  const claimBy = `Claim by ${slackDate(slaDeadline(since, sla.claimSlaMs, sla.calendar))}`;
  const posted = v.postedAt ?? now;
  if (since <= posted) return `:hourglass_flowing_sand: Posted ${when(posted)} · ${claimBy}`;
  return `:hourglass_flowing_sand: Waiting since ${when(posted)} · back in the channel since ${when(since)}, so the claim clock restarted · ${claimBy}`;
}

/** The offer the lead is waiting on now, if any. */
export const openOfferOf = (v: Pick<HandoffView, 'offers'>) => v.offers?.find((o) => o.status === 'open') ?? null;

/** The offer whose acceptance made the current claim, when it was one. */
const acceptedOfferOf = (v: HandoffView) =>
  v.offers?.find((o) => o.status === 'accepted' && o.userId === v.claimedBy && o.answeredAt?.getTime() === v.claimedAt?.getTime());

const OFFER_WHY: Record<HandoffOffer['reason'], string> = {
  owner: ' (already works this person or company)',
  'round-robin': '',
  'claim-sla': ' (unclaimed past the claim SLA)',
};

/** "Offered to @ana — 5 min to accept (until 10:05)": the lead waits on one rep, and nobody else can claim it. */
function offeredLine(offer: HandoffOffer): string {
  const answerIn = formatDuration(offer.expiresAt.getTime() - offer.offeredAt.getTime());
  return `:incoming_envelope: Offered to <@${offer.userId}>${OFFER_WHY[offer.reason]} — ${answerIn} to accept (until ${slackDate(offer.expiresAt)})`;
}

function claimedLine(v: HandoffView): string {
  const reassigned = reassignmentOf(v);
  if (reassigned) return `:raising_hand: Reassigned to <@${reassigned.to}> by <@${reassigned.by}>`;
  const accepted = acceptedOfferOf(v);
  if (accepted && v.claimedAt) {
    return `:raising_hand: Claimed by <@${v.claimedBy}> · accepted the offer after ${formatDuration(v.claimedAt.getTime() - accepted.offeredAt.getTime())}`;
  }
  const since = v.claimableSince ?? v.postedAt;
  if (!since || !v.claimedAt) return `:raising_hand: Claimed by <@${v.claimedBy}>`;
  const afterRelease = v.postedAt && since > v.postedAt;
  const after = `${formatDuration(v.claimedAt.getTime() - since.getTime())} after ${afterRelease ? 'it was released' : 'posting'}`;
  return `:raising_hand: Claimed by <@${v.claimedBy}> · ${after}`;
}

/** The line for a handoff that is over (accepted, rejected, expired); null while it is open. */
export function outcomeLine(v: HandoffView): string | null {
  switch (stateOf(v)) {
    case 'accepted':
      return `:white_check_mark: Accepted by <@${v.decidedBy}>${decidedAfter(v)} — now a sales-qualified lead`;
    case 'rejected': {
      const note = v.note ? ` — “${escapeMrkdwn(truncate(v.note, 500))}”` : '';
      return `:x: Rejected by <@${v.decidedBy}>${decidedAfter(v)}: *${reasonLabel(v.reasonCode)}*${note} — back to nurturing`;
    }
    case 'expired':
      return `:hourglass: Expired${v.decidedAt ? ` ${slackDate(v.decidedAt)}` : ''}`;
    default:
      return null;
  }
}

/** The buttons of a claimed lead; the claim DM carries the same ones (same action ids and values). */
export function decisionButtons(v: HandoffView, withReassign: boolean): KnownBlock {
  const id = String(v.id);
  return actions(
    [
      button('Accept', ACTIONS.accept, id, 'primary'),
      button('Reject', ACTIONS.reject, id, 'danger'),
      button('Release', ACTIONS.release, id),
      ...(withReassign ? [button('Reassign', ACTIONS.reassign, id)] : []),
    ],
    `handoff:${id}`,
  );
}

/** When the owner must decide (a Slack date): the decision SLA counted from the claim. */
export const decisionDeadline = (v: HandoffView, ctx: RenderContext) =>
  slackDate(slaDeadline(v.claimedAt ?? ctx.now, ctx.sla.decisionSlaMs, ctx.sla.calendar));

function statusBlocks(v: HandoffView, ctx: RenderContext): KnownBlock[] {
  switch (stateOf(v)) {
    case 'unclaimed': {
      // While the lead is offered to one rep at a time, nobody else can claim it: no Claim button, but a manager
      // may still assign it (which withdraws the offer).
      const assign = actions([button('Reassign', ACTIONS.reassign, String(v.id))], `handoff:${v.id}`);
      const offer = openOfferOf(v);
      if (offer) return [section(offeredLine(offer)), context(waitingLine(v, ctx)), assign];
      if (v.offerMode)
        return [section(':incoming_envelope: To be offered to its team, one rep at a time'), context(waitingLine(v, ctx)), assign];
      return [context(waitingLine(v, ctx)), actions([button('Claim', ACTIONS.claim, String(v.id), 'primary')], `handoff:${v.id}`)];
    }
    case 'claimed':
      return [section(claimedLine(v)), context(`Decide by ${decisionDeadline(v, ctx)}`), decisionButtons(v, true)];
    default:
      return [section(outcomeLine(v)!)];
  }
}

function decidedAfter(v: HandoffView): string {
  return v.claimedAt && v.decidedAt ? `, ${formatDuration(v.decidedAt.getTime() - v.claimedAt.getTime())} after claiming` : '';
}
