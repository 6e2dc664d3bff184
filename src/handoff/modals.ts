import type { ModalView } from '@slack/types';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn.js';
import { REJECT_REASONS, VIEWS } from './types.js';

export const REJECT_FIELDS = { reasonBlock: 'reason', reasonAction: 'reason', noteBlock: 'note', noteAction: 'note' } as const;
export const REASSIGN_FIELDS = { userBlock: 'assignee', userAction: 'assignee' } as const;
export const MAX_NOTE = 2000;

/** A modal about one handoff: its id travels in private_metadata back to the submission handler. */
const handoffModal = (callbackId: string, handoffId: number, title: string, submit: string, blocks: ModalView['blocks']): ModalView => ({
  type: 'modal',
  callback_id: callbackId,
  private_metadata: String(handoffId),
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: submit },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks,
});

export const REJECT_TITLE = 'Reject lead';
export const REASSIGN_TITLE = 'Reassign lead';
export const WAITING_TEXT = ':hourglass_flowing_sand: The bot is busy; checking the lead takes a few seconds. This fills in by itself.';

/** A modal that only says something: while the bot checks the lead, or why the form is not for you. */
export const noticeModal = (title: string, text: string): ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/** The reject modal: a reason (required) and a note (required for "other"). */
export function rejectModal(handoffId: number, leadName: string): ModalView {
  return handoffModal(VIEWS.reject, handoffId, REJECT_TITLE, 'Reject', [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `Why is *${escapeMrkdwn(truncate(leadName, 200))}* not ready for sales? It goes back to nurturing.` },
    },
    {
      type: 'input',
      block_id: REJECT_FIELDS.reasonBlock,
      label: { type: 'plain_text', text: 'Reason' },
      element: {
        type: 'static_select',
        action_id: REJECT_FIELDS.reasonAction,
        placeholder: { type: 'plain_text', text: 'Choose a reason' },
        options: Object.entries(REJECT_REASONS).map(([value, text]) => ({ value, text: { type: 'plain_text', text } })),
      },
    },
    {
      type: 'input',
      block_id: REJECT_FIELDS.noteBlock,
      optional: true,
      label: { type: 'plain_text', text: 'Note' },
      hint: { type: 'plain_text', text: 'Required when the reason is "Other".' },
      element: { type: 'plain_text_input', action_id: REJECT_FIELDS.noteAction, multiline: true, max_length: MAX_NOTE },
    },
  ]);
}

/** The reassign modal (managers): who should own the lead now. */
export function reassignModal(handoffId: number, leadName: string, holder: string | null, offeredTo: string | null = null): ModalView {
  const name = `*${escapeMrkdwn(truncate(leadName, 200))}*`;
  const now = holder
    ? `${name} is held by <@${holder}>.`
    : offeredTo
      ? `${name} is offered to <@${offeredTo}>; assigning it withdraws the offer.`
      : `${name} is unclaimed.`;
  return handoffModal(VIEWS.reassign, handoffId, REASSIGN_TITLE, 'Reassign', [
    // Who holds it now, so the manager knows whom they take it from.
    { type: 'section', text: { type: 'mrkdwn', text: now } },
    {
      type: 'input',
      block_id: REASSIGN_FIELDS.userBlock,
      label: { type: 'plain_text', text: `New owner of ${truncate(leadName, 100)}` },
      element: { type: 'users_select', action_id: REASSIGN_FIELDS.userAction },
    },
  ]);
}
