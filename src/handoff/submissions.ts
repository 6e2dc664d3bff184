import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { REASSIGN_FIELDS, REJECT_FIELDS, MAX_NOTE } from './modals.js';
import type { HandoffCommand } from './service.js';
import { REJECT_REASONS, VIEWS, type RejectReason } from './types.js';
import { unstorableCharacter } from '../text/storable.js';
import { assigneeProblem } from './assignee.js';
import { act, GENERIC_ERROR, handoffId, tellPrivately } from './listeners.js';
import { BUSY_MESSAGE, failureText, refusedAsBusy } from '../slack/work-queue.js';

/**
 * How long a submission's ack may wait for its own decision, when that decision can start at once: long enough
 * for the usual few milliseconds, so a refusal shows in the modal; well inside Slack's 3 seconds.
 */
export const SUBMISSION_WAIT_MS = 1_000;

const rejectForm = z
  .object({
    reason: z.enum(Object.keys(REJECT_REASONS) as [RejectReason, ...RejectReason[]], { error: 'Choose a reason.' }),
    note: z
      .string()
      .trim()
      .max(MAX_NOTE, `At most ${MAX_NOTE} characters.`)
      .superRefine((note, ctx) => {
        const bad = unstorableCharacter(note);
        if (bad) ctx.addIssue({ code: 'custom', message: `The note contains ${bad}; please remove it.` });
      })
      .nullish(),
  })
  .refine((f) => f.reason !== 'other' || Boolean(f.note), { path: ['note'], message: 'Add a note when the reason is "Other".' });

const FORM_BLOCKS: Record<string, string> = { reason: REJECT_FIELDS.reasonBlock, note: REJECT_FIELDS.noteBlock };

type ViewValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_user?: string | null }>
>;

type Decision = { ok: true } | { ok: false; message: string; block?: string };

interface Form {
  /** What the modal is for, in a DM about a late refusal: "Rejecting the lead did not go through". */
  doing: string;
  /** Reads the fields; no I/O, so it answers before the ack. */
  read(values: ViewValues): HandoffCommand | { errors: Record<string, string> };
  /** Checks that need I/O (who the new owner is), done in the decision's turn. */
  check?(deps: Deps, command: HandoffCommand): Promise<Decision | undefined>;
}

const settledWithin = <T>(work: Promise<T>, ms: number): Promise<{ value: T } | null> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([work.then((value) => ({ value })), late]).finally(() => clearTimeout(timer));
};

/**
 * Modal submissions. The form is read before the ack, so a missing field shows in the modal. The decision is
 * work like any other and takes its turn: when it can start at once, the ack waits for it (at most
 * SUBMISSION_WAIT_MS), so a refusal shows in the modal as well; when others' work is waiting, the modal closes
 * at once and a refusal comes by DM. An ack never waits behind other requests' work.
 */
function onSubmit(app: App, deps: Deps, callbackId: string, form: Form) {
  app.view(callbackId, async ({ ack, view, body }) => {
    const id = handoffId.safeParse(view.private_metadata);
    const command = form.read(view.state.values as ViewValues);
    if ('errors' in command) return void (await ack({ response_action: 'errors', errors: command.errors }));
    if (!id.success) return void (await ack());
    const firstBlock = view.blocks.find((b) => 'block_id' in b && b.block_id)?.block_id ?? REJECT_FIELDS.reasonBlock;
    const inModal = (message: string, block = firstBlock) => ({ response_action: 'errors' as const, errors: { [block]: message } });
    // Too busy: the modal stays open and says so; nothing was done, and submitting again later works.
    if (refusedAsBusy(deps, 'submission')) return void (await ack(inModal(BUSY_MESSAGE)));
    const user = body.user.id;
    const startsAtOnce = deps.work.startsAtOnce();
    const decision: Promise<Decision> = deps.work
      .run(user, async () => (await form.check?.(deps, command)) ?? act(deps, id.data, user, command))
      .catch((error: unknown) => {
        const log = () => deps.logger.error({ err: error, view: callbackId, handoffId: id.data, user }, 'modal submission failed');
        return { ok: false, message: failureText(error, log, GENERIC_ERROR) };
      });
    const quick = startsAtOnce ? await settledWithin(decision, SUBMISSION_WAIT_MS) : null;
    if (quick) return void (await ack(quick.value.ok ? undefined : inModal(quick.value.message, quick.value.block)));
    await ack();
    const late = await decision;
    if (!late.ok)
      await tellPrivately(
        deps,
        { userId: user, respond: undefined, clickId: `${user}:${callbackId}:${view.id}` },
        id.data,
        `:warning: ${form.doing} did not go through: ${late.message}`,
      );
  });
}

export function register(app: App, deps: Deps): void {
  onSubmit(app, deps, VIEWS.reject, {
    doing: 'Rejecting the lead',
    read(values) {
      const form = rejectForm.safeParse({
        reason: values[REJECT_FIELDS.reasonBlock]?.[REJECT_FIELDS.reasonAction]?.selected_option?.value,
        note: values[REJECT_FIELDS.noteBlock]?.[REJECT_FIELDS.noteAction]?.value,
      });
      if (!form.success) {
        return {
          errors: Object.fromEntries(
            form.error.issues.map((i) => [FORM_BLOCKS[String(i.path[0])] ?? REJECT_FIELDS.reasonBlock, i.message]),
          ),
        };
      }
      return { action: 'reject', reason: form.data.reason, note: form.data.note || null };
    },
  });
  onSubmit(app, deps, VIEWS.reassign, {
    doing: 'Reassigning the lead',
    read(values) {
      const to = values[REASSIGN_FIELDS.userBlock]?.[REASSIGN_FIELDS.userAction]?.selected_user;
      return to ? { action: 'reassign', to } : { errors: { [REASSIGN_FIELDS.userBlock]: 'Choose who should own the lead.' } };
    },
    async check(deps, command) {
      const problem = command.action === 'reassign' ? await assigneeProblem(deps, command.to) : null;
      return problem ? { ok: false, message: problem, block: REASSIGN_FIELDS.userBlock } : undefined;
    },
  });
}
