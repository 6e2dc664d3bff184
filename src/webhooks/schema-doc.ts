import { z } from 'zod';
import { webhookEvent } from './events.js';

/** Where the generated schema is committed (relative to the repository root): integrators read this one file. */
export const SCHEMA_DOC_PATH = 'docs/webhook-events.schema.json';

/**
 * The JSON Schema of every webhook delivery body, from the zod types the bot builds and tests them with: the
 * union of envelopes, the shared objects (lead, handoff, outcome) once under $defs, descriptions included.
 */
export function webhookEventsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(webhookEvent, {
    target: 'draft-2020-12',
    io: 'output',
    override: ({ jsonSchema }) => {
      // zod bounds every integer to the safe range; said on every field it only hides what matters.
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      // Later versions may add fields: a receiver that validates against this file must not break on them.
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
}
