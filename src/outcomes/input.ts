import { z } from 'zod';
import { OUTCOME_STAGES } from '../../db/schema.js';
import { isoInstant, leadInput } from '../leads/input.js';
import { unstorableCharacter } from '../text/storable.js';

/** numeric(18,2) holds 16 digits before the point; no deal is near a quadrillion, so a bigger one is a unit mix-up. */
export const MAX_AMOUNT = 1e15;
export const MAX_REASON = 500;
export const MAX_OUTCOMES = 1000;

/** The runtime's (ICU's) current ISO 4217 codes, so a typo such as `EUX` is refused rather than stored. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const amount = z
  .number({ error: 'must be a number, e.g. 12500.50' })
  .min(0, 'must not be negative')
  .lt(MAX_AMOUNT, `must be less than ${MAX_AMOUNT.toExponential()}`)
  // Stored as numeric(18,2): a third decimal would be rounded away silently.
  .refine((n) => Number(n.toFixed(2)) === n, 'has at most 2 decimals');

const currency = z
  .string({ error: 'must be a string' })
  .trim()
  .toUpperCase()
  .refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code, e.g. EUR or USD');

/** The outcome's own fields, shared by the single and the batch body. */
const outcomeShape = {
  stage: z.enum(OUTCOME_STAGES, { error: `must be one of ${OUTCOME_STAGES.join(', ')}` }),
  amount: amount.nullish(),
  currency: currency.nullish(),
  occurredAt: isoInstant.nullish(),
  reason: z
    .string({ error: 'must be a string' })
    .trim()
    .max(MAX_REASON, `must be at most ${MAX_REASON} characters`)
    .transform((r) => r || null)
    .nullish(),
};

/** An amount means nothing without its currency (an integration summing them must not mix EUR and USD). */
function currencyWithAmount(o: { amount?: number | null; currency?: string | null }, ctx: z.RefinementCtx): void {
  if (o.amount != null && o.currency == null) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required with an amount' });
}

export const outcomeInput = z.object(outcomeShape).strict().superRefine(currencyWithAmount);

export const outcomeItemInput = z
  .object({ source: leadInput.shape.source, externalId: leadInput.shape.externalId, ...outcomeShape })
  .strict()
  .superRefine(currencyWithAmount);

export const outcomesBatchInput = z
  .object({
    outcomes: z
      .array(outcomeItemInput)
      .min(1, 'needs at least one outcome')
      .max(MAX_OUTCOMES, `at most ${MAX_OUTCOMES.toLocaleString('en-US')} outcomes per request`),
  })
  .strict();

/** The query and path of the single endpoint; NUL or a broken emoji there could not be looked up, only fail. */
const storable = (max: number) =>
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const bad = unstorableCharacter(s);
      if (bad) ctx.addIssue({ code: 'custom', message: `contains ${bad}` });
    });

export const leadKeyInput = z.object({
  source: storable(100),
  externalId: storable(200),
});

export type OutcomeInput = z.output<typeof outcomeInput>;
export type OutcomeItem = z.output<typeof outcomeItemInput>;
