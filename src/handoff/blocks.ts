import type { KnownBlock } from '@slack/types';
import { actions, button, context, fields, header, section, LIMITS } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, limitList, slackDate, truncate, truncateMrkdwn } from '../slack/mrkdwn.js';
import { leadDisplayName } from '../leads/display-name.js';
import { ACTIONS, REJECT_REASONS, stateOf, type HandoffView } from './types.js';

const MAX_REASONS = 8;

const reasonLabel = (code: string | null) =>
  code && code in REJECT_REASONS ? REJECT_REASONS[code as keyof typeof REJECT_REASONS] : (code ?? '');

const value = (text: string | null) => (text ? escapeMrkdwn(text) : '—');

/** The notification text (push, screen readers, clients without blocks). */
export function mqlFallbackText(v: HandoffView): string {
  const state = stateOf(v);
  const status = state === 'unclaimed' ? 'unclaimed' : state === 'claimed' ? `claimed by <@${v.claimedBy}>` : state;
  return truncateMrkdwn(
    `New MQL: ${escapeMrkdwn(leadDisplayName(v.lead))} — score ${v.score}/${v.threshold} — ${status}`,
    LIMITS.fallbackText,
  );
}

/** The sales-channel post for a handoff in its current state. */
export function mqlPostBlocks(v: HandoffView): KnownBlock[] {
  const reasons = limitList(
    v.lead.breakdown.map((r) => escapeMrkdwn(r.reason)),
    MAX_REASONS,
    (n) => `and ${n} more`,
  );
  const blocks: KnownBlock[] = [
    header(leadDisplayName(v.lead)),
    fields([
      ['Source', value(v.lead.source)],
      ['Title', value(v.lead.title)],
      ['Country', value(v.lead.country)],
      ['Email', value(v.lead.email)],
      ['Score', `*${v.score}* (threshold ${v.threshold})`],
      ['Criteria', `version ${v.criteriaVersion}${v.qualification > 1 ? ` · qualification #${v.qualification}` : ''}`],
    ]),
    ...reasons.map((r) => context(r)),
  ];
  if (v.previous) blocks.push(context(previousLine(v.previous)));
  blocks.push(...statusBlocks(v));
  return blocks.slice(0, LIMITS.blocks);
}

function previousLine(p: NonNullable<HandoffView['previous']>): string {
  const outcome =
    p.decision === 'rejected'
      ? `rejected${p.decidedBy ? ` by <@${p.decidedBy}>` : ''} (${reasonLabel(p.reasonCode)})`
      : (p.decision ?? 'undecided');
  return `:recycle: Re-qualified. Qualification #${p.qualification} was ${outcome}.`;
}

function statusBlocks(v: HandoffView): KnownBlock[] {
  const id = String(v.id);
  const actionsId = `handoff:${id}`;
  switch (stateOf(v)) {
    case 'unclaimed':
      return [actions([button('Claim', ACTIONS.claim, id, 'primary')], actionsId)];
    case 'claimed': {
      const since = v.claimableSince ?? v.postedAt;
      const after = since && v.claimedAt ? ` · ${formatDuration(v.claimedAt.getTime() - since.getTime())} after posting` : '';
      return [
        section(`:raising_hand: Claimed by <@${v.claimedBy}>${after}`),
        actions(
          [
            button('Accept', ACTIONS.accept, id, 'primary'),
            button('Reject', ACTIONS.reject, id, 'danger'),
            button('Release', ACTIONS.release, id),
            button('Reassign', ACTIONS.reassign, id),
          ],
          actionsId,
        ),
      ];
    }
    case 'accepted':
      return [section(`:white_check_mark: Accepted by <@${v.decidedBy}>${decidedAfter(v)} — now a sales-qualified lead`)];
    case 'rejected': {
      const note = v.note ? ` — “${escapeMrkdwn(truncate(v.note, 500))}”` : '';
      return [section(`:x: Rejected by <@${v.decidedBy}>${decidedAfter(v)}: *${reasonLabel(v.reasonCode)}*${note} — back to nurturing`)];
    }
    case 'expired':
      return [section(`:hourglass: Expired${v.decidedAt ? ` ${slackDate(v.decidedAt)}` : ''}`)];
  }
}

function decidedAfter(v: HandoffView): string {
  return v.claimedAt && v.decidedAt ? `, ${formatDuration(v.decidedAt.getTime() - v.claimedAt.getTime())} after claiming` : '';
}

/** The DM a rep gets when they claim a lead: the same details, no buttons. */
export function claimDmBlocks(v: HandoffView, permalink: string | null): KnownBlock[] {
  const link = permalink ? ` (<${permalink}|the post>)` : '';
  return [
    section(`You claimed *${escapeMrkdwn(leadDisplayName(v.lead))}*${link}. Accept or reject it from the post in the sales channel.`),
    ...mqlPostBlocks({ ...v, claimedBy: null, decision: null }).filter((b) => b.type !== 'actions'),
  ].slice(0, LIMITS.blocks);
}
