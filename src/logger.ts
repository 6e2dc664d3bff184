import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets are censored wherever they appear in a log line. */
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
];

/*
 * Size and personal data: one failed 8 MB batch once logged a 25 MB line holding every lead's email, because
 * a failed query's error carries its parameters (drizzle's message ends "\nparams: …"; postgres.js and PGlite
 * errors hold `parameters`/`params`, and `where`/`detail` quote the data). So errors are logged by a whitelist
 * of fields, the params part of any string is cut, and every logged string, array and object is capped.
 */
export const MAX_LOGGED_STRING = 2_000;
const MAX_ITEMS = 50;
const MAX_DEPTH = 8;
const PARAMS = '\nparams: ';
/** Error fields that describe what failed without quoting the data (no params, query, detail, where, body). */
const ERROR_FIELDS = [
  'code',
  'severity',
  'status',
  'statusCode',
  'routine',
  'constraint',
  'constraint_name',
  'table',
  'table_name',
  'column',
  'column_name',
];

const withoutParams = (text: string) => {
  const at = text.indexOf(PARAMS);
  // The marker differs from PARAMS, so cleaning twice (a stack after its message) keeps what follows.
  return at < 0 ? text : `${text.slice(0, at)}\n(params not logged)`;
};

export function capString(text: string): string {
  const clean = withoutParams(text);
  return clean.length <= MAX_LOGGED_STRING
    ? clean
    : `${clean.slice(0, MAX_LOGGED_STRING)}… [${clean.length - MAX_LOGGED_STRING} more characters not logged]`;
}

/** The stack with its copy of the message cleaned; dropped when the message cannot be found in it. */
function stackOf(err: Error): string | undefined {
  const stack = typeof err.stack === 'string' ? err.stack : '';
  const at = typeof err.message === 'string' && err.message ? stack.indexOf(err.message) : -1;
  if (at >= 0) return capString(stack.slice(0, at) + withoutParams(err.message) + stack.slice(at + err.message.length));
  return stack && !stack.includes(PARAMS) ? capString(stack) : undefined;
}

/** What is left of one log line's allowance; shared by everything in the line so the line stays small. */
interface Budget {
  left: number;
}
const LINE_BUDGET = 8_000;
const newBudget = (): Budget => ({ left: LINE_BUDGET });

function capText(text: string, budget: Budget): string {
  if (budget.left <= 0) return '[not logged: line too long]';
  const capped = capString(text).slice(0, Math.max(budget.left, 100));
  budget.left -= capped.length;
  return capped;
}

export function serializeError(err: Error, budget = newBudget(), depth = 0): Record<string, unknown> {
  const fields = err as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: err.constructor?.name || err.name,
    message: capText(String(err.message), budget),
  };
  for (const key of ERROR_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = typeof value === 'string' ? capText(value, budget) : value;
  }
  // Slack Web API errors: the API's error code is the useful part of the response.
  const data = fields.data as { error?: unknown } | undefined;
  if (typeof data?.error === 'string') out.slackError = capText(data.error, budget);
  if (err.cause !== undefined && depth < 3) out.cause = capValue(err.cause, budget, depth + 1);
  const stack = stackOf(err);
  if (stack) out.stack = capText(stack, budget);
  return out;
}

/** Keys whose values are never logged: request bodies and query parameters hold the leads' personal data. */
const NOT_LOGGED = new Set(['body', 'rawBody', 'params', 'parameters']);

/** A copy of a logged value with strings, arrays, objects and nesting capped; errors by their whitelist. */
export function capValue(value: unknown, budget = newBudget(), depth = 0): unknown {
  if (typeof value === 'string') return capText(value, budget);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return serializeError(value, budget, depth);
  if (depth >= MAX_DEPTH || budget.left <= 0) return '[not logged: nested too deep or line too long]';
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes not logged]`;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(value);
    return json === value ? '[unloggable]' : capValue(json, budget, depth + 1);
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => capValue(item, budget, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more items not logged]`] : items;
  }
  const keys = Object.keys(value);
  // fromEntries, not assignment: a `__proto__` key stays a key.
  const entries = keys.slice(0, MAX_ITEMS).map((key) => {
    budget.left -= key.length + 4;
    return [key, NOT_LOGGED.has(key) ? '[not logged]' : capValue((value as Record<string, unknown>)[key], budget, depth + 1)];
  });
  if (keys.length > MAX_ITEMS) entries.push(['…', `${keys.length - MAX_ITEMS} more keys not logged`]);
  return Object.fromEntries(entries);
}

const capArg = (arg: unknown) => (typeof arg === 'string' ? capString(arg) : capValue(arg));

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Already serialized by the hook below; pino's default would re-read the plain copy as an error.
      serializers: { err: (err: unknown) => (err instanceof Error ? serializeError(err) : err) },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const messages = rest.map(capArg);
          if (typeof first !== 'object' || first === null) return method.apply(this, [capArg(first), ...messages] as never);
          const obj = (first instanceof Error ? { err: serializeError(first) } : capValue(first)) as Record<string, unknown>;
          // Without a message pino would use the raw error's message, params and all.
          const err = obj.err as { message?: unknown } | undefined;
          if (messages.length === 0 && typeof err?.message === 'string') messages.push(err.message);
          return method.apply(this, [obj, ...messages] as never);
        },
      },
    },
    destination,
  );
}
