import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';

/*
 * What a request to /slack/events, or a Socket Mode envelope's payload, must look like before Bolt routes it.
 * Bolt trusts a signed body's shape (a signed `payload=null` throws inside its receiver and stops the process;
 * `actions: [{}]` fails in its routing), so anything that is not one of the kinds Slack sends, with the fields
 * Bolt and our listeners read, is refused here with a problem that names it. Pure: no I/O.
 */

const id = z.string().min(1).max(255);
const object = z.record(z.string(), z.unknown());

const slashCommand = z.object({
  command: z.string().min(1).max(255),
  text: z.string().max(10_000).optional(),
  user_id: id,
  channel_id: id,
  team_id: id.optional(),
  response_url: z.string().max(2000).optional(),
  trigger_id: z.string().max(255).optional(),
});

const withUser = { user: z.object({ id }), team: z.object({ id }).nullish() };

const blockActions = z.object({
  type: z.literal('block_actions'),
  ...withUser,
  actions: z
    .array(z.object({ action_id: id, type: z.string().max(255).optional(), block_id: z.string().max(255).optional() }))
    .min(1)
    .max(25),
  response_url: z.string().max(2000).optional(),
  trigger_id: z.string().max(255).optional(),
});

const view = z.object({
  id: id.optional(),
  callback_id: z.string().max(255),
  private_metadata: z.string().max(3000).optional(),
  blocks: z.array(object).max(100),
  state: z.object({ values: z.record(z.string(), object) }).optional(),
});

const viewSubmission = z.object({ type: z.literal('view_submission'), ...withUser, view: view.required({ state: true }) });
const viewClosed = z.object({ type: z.literal('view_closed'), ...withUser, view });
const shortcut = z.object({ type: z.enum(['shortcut', 'message_action']), ...withUser, callback_id: id });
/** Events whose fields our listeners read; any other event only needs its type. */
const EVENTS: Record<string, z.ZodType> = {
  app_home_opened: z.object({ user: id, tab: z.string().max(50).optional() }),
};
const eventCallback = z
  .object({ type: z.literal('event_callback'), team_id: id.optional(), event: z.object({ type: id }).loose() })
  .superRefine(({ event }, ctx) => {
    const checked = Object.hasOwn(EVENTS, event.type) ? EVENTS[event.type]!.safeParse(event) : null;
    for (const issue of checked?.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['event', ...issue.path] });
  });
const urlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string().max(1000) });

const INTERACTIONS: Record<string, z.ZodType> = {
  block_actions: blockActions,
  view_submission: viewSubmission,
  view_closed: viewClosed,
  shortcut,
  message_action: shortcut,
  event_callback: eventCallback,
  url_verification: urlVerification,
};

/** The kinds of Slack request, as metrics and the work queue label them. */
export type RequestKind = 'command' | 'action' | 'submission' | 'event' | 'other';

const KINDS: Record<string, RequestKind> = { block_actions: 'action', view_submission: 'submission', event_callback: 'event' };

export type ShapeCheck = { ok: true; kind: RequestKind } | { ok: false; problem: string };

const describeIssues = (error: z.ZodError) =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');

/** Reads the body as Bolt will (a form, a form with a JSON `payload`, or JSON) and checks its shape. */
export function checkSlackBody(rawBody: string, contentType: string): ShapeCheck {
  let body: unknown;
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(rawBody);
      if (form.ssl_check === '1') return { ok: true, kind: 'other' };
      body = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else {
      body = JSON.parse(rawBody);
    }
  } catch {
    return { ok: false, problem: 'the body is not a form or JSON Slack would send' };
  }
  return checkSlackPayload(body);
}

/** Checks a payload already parsed (as Socket Mode envelopes carry it): one of the kinds Slack sends, with the fields we read. */
export function checkSlackPayload(body: unknown): ShapeCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: 'the payload is not an object' };
  }
  const record = body as Record<string, unknown>;
  const type = typeof record.type === 'string' ? record.type : undefined;
  const schema =
    type !== undefined
      ? Object.hasOwn(INTERACTIONS, type)
        ? INTERACTIONS[type]
        : undefined
      : 'command' in record
        ? slashCommand
        : undefined;
  if (!schema)
    return {
      ok: false,
      problem: type ? `payloads of type "${type.slice(0, 50)}" are not handled` : 'not a slash command, interaction or event',
    };
  const checked = schema.safeParse(body);
  if (!checked.success) return { ok: false, problem: describeIssues(checked.error) };
  return { ok: true, kind: type === undefined ? 'command' : (KINDS[type] ?? 'other') };
}
