import ms from 'ms';
import cron from 'node-cron';
import { z } from 'zod';
import { parseBusinessHours, type BusinessHours } from './sla/business-hours.js';
import { databaseEnvShape } from './config-db.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

/** A duration like `30s`, `15m`, `2h`, `1d`, as milliseconds. */
const duration = z.string().transform((text, ctx) => {
  const value = /^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i.test(text) ? ms(text.trim() as ms.StringValue) : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 30s, 15m, 2h, 1d` });
    return z.NEVER;
  }
  return value;
});

const required = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    // A blank value is missing, and only that: checks after this one would report it again.
    .min(1, { error: `is required (${what})`, abort: true });

/** `U…`/`W…` user ids and `S…` user-group ids, comma or space separated. */
const slackPrincipals = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const ids = text.split(/[\s,]+/).filter(Boolean);
    const bad = ids.filter((id) => !/^[UWS][A-Z0-9]{2,}$/.test(id));
    if (bad.length) {
      ctx.addIssue({ code: 'custom', message: `not Slack user or user-group ids: ${bad.join(', ')}` });
      return z.NEVER;
    }
    return { users: ids.filter((id) => !id.startsWith('S')), groups: ids.filter((id) => id.startsWith('S')) };
  });

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone like UTC or Europe/Berlin');

const businessHours = z
  .string()
  .optional()
  .transform((text, ctx): BusinessHours | null => {
    if (!text?.trim()) return null;
    const parsed = parseBusinessHours(text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed;
  });

/** The words a yes/no setting may be written with; blank means not set. */
export const flagWord = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', '']);
export const isYes = (word: string) => ['true', '1', 'yes', 'on'].includes(word);

const flag = flagWord.default('false').transform(isYes);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/**
 * A required Slack value that must also look like one (a placeholder such as `xoxb-` or a channel name
 * such as `#sales` would pass a mere "required" and fail later, far from the cause). One problem per value.
 */
const slackValue = (what: string, pattern: RegExp, shape: string) =>
  z.string({ error: `is required (${what})` }).transform((text, ctx) => {
    const value = text.trim();
    if (!value) ctx.addIssue({ code: 'custom', message: `is required (${what})` });
    else if (!pattern.test(value)) ctx.addIssue({ code: 'custom', message: shape });
    return value;
  });
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const CHANNEL_SHAPE = "must be a channel id like C0123456789 (in Slack: the channel's details, at the bottom), not its name";

/** Lead fields or attribute keys the MQL post shows (comma separated; an attribute key may hold spaces). */
const postFields = z
  .string()
  .default('email, phone, company_size, country, crm_url')
  .transform((text, ctx) => {
    const names = text
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (names.length > 10) ctx.addIssue({ code: 'custom', message: `lists ${names.length} fields; the post shows at most 10` });
    const long = names.find((name) => name.length > 100);
    if (long) ctx.addIssue({ code: 'custom', message: `"${long.slice(0, 20)}…" is longer than 100 characters` });
    return names;
  });

/** Comma-separated http(s) URLs that receive signed webhooks; blank: none. */
const webhookUrls = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const urls = [
      ...new Set(
        text
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      ),
    ];
    for (const url of urls) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        // reported below
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
        // The value may carry a token in its query: name its position, not the URL.
        ctx.addIssue({
          code: 'custom',
          message: `URL ${urls.indexOf(url) + 1} is not an http(s) URL like https://crm.example.com/hooks/mql`,
        });
      }
    }
    if (urls.length > 10) ctx.addIssue({ code: 'custom', message: `lists ${urls.length} URLs; at most 10` });
    return urls;
  });

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: slackValue(
      'the bot token, xoxb-…',
      /^xoxb-[A-Za-z0-9-]{8,}$/,
      "must be the app's bot token: xoxb- followed by the rest of it (OAuth & Permissions → Bot User OAuth Token)",
    ),
    SLACK_SIGNING_SECRET: required("the app's signing secret"),
    SLACK_APP_TOKEN: optionalText.refine(
      (v) => v === undefined || /^xapp-[A-Za-z0-9-]{8,}$/.test(v),
      'must be an app-level token: xapp- followed by the rest of it',
    ),
    SLACK_API_URL: z.url({ error: 'must be a URL like https://slack.com/api/' }).default('https://slack.com/api/'),
    SLACK_SALES_CHANNEL: slackValue('the channel id MQLs are posted to, C…', CHANNEL_ID, CHANNEL_SHAPE),
    SLACK_DIGEST_CHANNEL: optionalText.refine((v) => v === undefined || CHANNEL_ID.test(v), CHANNEL_SHAPE),
    SLACK_POST_FIELDS: postFields,
    MERGE_PLUS_ADDRESSES: flag,
    MQL_MARKETERS: slackPrincipals,
    MQL_MANAGERS: slackPrincipals,
    ...databaseEnvShape,
    // How long start-up waits for Postgres before giving up (exit 1), so an orchestrator sees the failure.
    DB_STARTUP_TIMEOUT: duration.prefault('60s'),
    PORT: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
    ),
    LEAD_API_TOKEN: required('the Bearer token /api/* callers send').min(16, 'must be at least 16 characters'),
    CLAIM_SLA: duration.prefault('15m'),
    DECISION_SLA: duration.prefault('24h'),
    DIGEST_CRON: z
      .string()
      .default('0 9 * * 1-5')
      .refine((expr) => cron.validate(expr), 'is not a cron expression like "0 9 * * 1-5"'),
    TZ_DIGEST: timeZone.default('UTC'),
    BUSINESS_HOURS: businessHours,
    AUTO_RELEASE: flag,
    // A criteria change that moves more than this share of stored leads across the line asks for confirmation.
    CRITERIA_CONFIRM_SHARE: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.coerce
        .number({ error: 'must be a share of leads like 0.1 (10%)' })
        .gt(0, 'must be above 0 (a share of leads like 0.1)')
        .lte(1, 'must be at most 1 (a share of leads like 0.1)')
        .default(0.1),
    ),
    // Routing (see README "Routing"): how long a rep has to answer an offer, and who may be offered one.
    OFFER_TIMEOUT: duration.prefault('5m'),
    ROUTING_MAX_OPEN: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.coerce
        .number({ error: 'must be a whole number of open leads like 5' })
        .int('must be a whole number of open leads like 5')
        .min(1, 'must be at least 1 (unset it for no cap)')
        .optional(),
    ),
    ROUTING_RESPECT_DND: flag,
    REASSIGN_ON_CLAIM_SLA: flag,
    // Fairness counts each rep's offers over this rolling window.
    ROUTING_WINDOW: duration.prefault('7d'),
    // CRM integration (see README "CRM integration"): where decisions are sent, signed with the secret.
    WEBHOOK_URL: webhookUrls,
    WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
    WEBHOOK_TIMEOUT: duration.prefault('10s'),
    // A delivery still refused after this long is given up (logged); until then it is retried with backoff.
    WEBHOOK_RETRY_FOR: duration.prefault('3d'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL.length > 0 && !env.WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET'],
        message: 'is required when WEBHOOK_URL is set (deliveries are signed with it)',
      });
    }
  })
  .transform((env) => ({
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`,
      salesChannel: env.SLACK_SALES_CHANNEL,
      digestChannel: env.SLACK_DIGEST_CHANNEL ?? env.SLACK_SALES_CHANNEL,
      postFields: env.SLACK_POST_FIELDS,
    },
    people: { mergePlusAddresses: env.MERGE_PLUS_ADDRESSES },
    roles: { marketers: env.MQL_MARKETERS, managers: env.MQL_MANAGERS },
    db: { url: env.DATABASE_URL, dataDir: env.DATA_DIR },
    dbStartupTimeoutMs: env.DB_STARTUP_TIMEOUT,
    port: env.PORT,
    leadApiToken: env.LEAD_API_TOKEN,
    sla: {
      claimSlaMs: env.CLAIM_SLA,
      decisionSlaMs: env.DECISION_SLA,
      businessHours: env.BUSINESS_HOURS,
      timeZone: env.TZ_DIGEST,
      autoRelease: env.AUTO_RELEASE,
    },
    digest: { cron: env.DIGEST_CRON, timeZone: env.TZ_DIGEST },
    criteria: { confirmShare: env.CRITERIA_CONFIRM_SHARE },
    routing: {
      offerTimeoutMs: env.OFFER_TIMEOUT,
      /** Null: no cap. */
      maxOpen: env.ROUTING_MAX_OPEN ?? null,
      respectDnd: env.ROUTING_RESPECT_DND,
      reassignOnClaimSla: env.REASSIGN_ON_CLAIM_SLA,
      fairnessWindowMs: env.ROUTING_WINDOW,
    },
    webhooks: {
      urls: env.WEBHOOK_URL,
      /** Empty when no URL is set (then nothing is signed or sent). */
      secret: env.WEBHOOK_SECRET ?? '',
      timeoutMs: env.WEBHOOK_TIMEOUT,
      retryForMs: env.WEBHOOK_RETRY_FOR,
    },
    logLevel: env.LOG_LEVEL,
  }));

export type Config = z.output<typeof envSchema>;
export type Principals = Config['roles']['marketers'];

/** Parses the environment once; every problem is reported on its own line, never the secret values. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  throw ConfigError.from(result.error);
}
