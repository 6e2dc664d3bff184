import { z } from 'zod';
import { formatDuration } from '../slack/mrkdwn.js';
import { jsonProblem } from '../text/json-check.js';

/** Bounds documented in the README's lead intake: event data is context for people, not a document store. */
export const MAX_EVENT_DATA_BYTES = 16 * 1024;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => text(max).nullish();

export const attributeValue = z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()], {
  error: 'must be a string, number, boolean or null',
});

/** Earlier than this is a sender's bug (a zero date), and year 0 or before cannot even be stored. */
const EARLIEST = Date.UTC(1970, 0, 1);

/** An ISO 8601 date-time with its offset, as a Date: from 1970 on (how far ahead is the caller's to check). */
export const isoInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T10:00:00Z' })
  .transform((iso) => new Date(iso))
  .refine((at) => at.getTime() >= EARLIEST, 'must be in 1970 or later');

export const eventInput = z
  .object({
    type: text(100)
      .min(1, 'is required')
      .regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits, _ . - only (e.g. form_submit)')
      // Event types are counted case-insensitively, so they are stored in one case.
      .transform((t) => t.toLowerCase()),
    occurredAt: isoInstant,
    data: z
      .record(z.string(), z.unknown())
      .superRefine((data, ctx) => {
        // Depth first (bodies from readJson are checked already; other callers are not): JSON.stringify recurses.
        const problem = jsonProblem(data);
        if (problem) return void ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
        const bytes = Buffer.byteLength(JSON.stringify(data));
        if (bytes > MAX_EVENT_DATA_BYTES)
          ctx.addIssue({
            code: 'custom',
            message: `must be at most ${MAX_EVENT_DATA_BYTES / 1024} KB as JSON (${bytes.toLocaleString('en-US')} bytes)`,
          });
      })
      .optional(),
  })
  .strict();

export const leadInput = z
  .object({
    source: text(100).min(1, 'is required'),
    externalId: text(200).min(1, 'is required'),
    // Trimmed first: tools export "ANA@dupe.example " with the space, and it is still that person's address.
    email: z
      .string()
      .trim()
      .pipe(z.email({ error: 'must be an email address' }).max(320))
      .nullish(),
    name: optionalText(500),
    company: optionalText(500),
    title: optionalText(500),
    country: optionalText(200),
    attributes: z
      .record(text(200).min(1, 'attribute names may not be empty'), attributeValue)
      .refine((a) => Object.keys(a).length <= 500, 'at most 500 attributes')
      .optional(),
    events: z.array(eventInput).max(1000, 'at most 1,000 events per lead').optional(),
  })
  .strict();

export const MAX_BATCH = 1000;
export const leadBatchInput = z
  .object({ leads: z.array(leadInput).min(1, 'needs at least one lead').max(MAX_BATCH, `at most ${MAX_BATCH} leads per request`) })
  .strict();

export const eventsOnlyInput = z
  .object({ events: z.array(eventInput).min(1, 'needs at least one event').max(1000, 'at most 1,000 events') })
  .strict();

export type LeadInput = z.output<typeof leadInput>;
export type EventInput = z.output<typeof eventInput>;

export interface FieldError {
  path: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** One lead or `{ leads: [...] }`, as of `now`; errors name the path of every bad field. */
export function parseLeadsBody(body: unknown, now: Date): { ok: true; leads: LeadInput[] } | { ok: false; errors: FieldError[] } {
  const isBatch = typeof body === 'object' && body !== null && 'leads' in body;
  const result = isBatch ? leadBatchInput.safeParse(body) : leadInput.safeParse(body);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  const leads = 'leads' in result.data ? result.data.leads : [result.data];
  const errors = leads.flatMap((lead, i) => futureEventErrors(lead.events, now, isBatch ? `leads.${i}.` : ''));
  return errors.length ? { ok: false, errors } : { ok: true, leads };
}

/** How far ahead of the bot's clock an event may be dated: senders' clocks drift a little, never hours. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Events dated in the future beyond clock skew (a sender's bug or a wrong time zone): no signal can have
 * happened yet, and one stored would look fresh for hours. `prefix` is the path of the events' owner.
 */
export function futureEventErrors(events: EventInput[] | undefined, now: Date, prefix: string): FieldError[] {
  return futureDateErrors(
    (events ?? []).map((e) => e.occurredAt),
    now,
    (i) => `${prefix}events.${i}.occurredAt`,
  );
}

/** The dates (at their paths) ahead of `now` by more than the clock skew allowed; a missing date is none. */
export function futureDateErrors(dates: Array<Date | null | undefined>, now: Date, pathAt: (i: number) => string): FieldError[] {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return dates.flatMap((date, i) => {
    const ahead = (date?.getTime() ?? 0) - now.getTime();
    if (ahead <= CLOCK_SKEW_MS) return [];
    const message = `is ${formatDuration(ahead)} in the future (now ${at}); up to ${formatDuration(CLOCK_SKEW_MS)} of clock skew is allowed`;
    return [{ path: pathAt(i), message }];
  });
}
