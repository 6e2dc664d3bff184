import type { Parsed } from '../../src/scoring/rule-tokens.js';

/** The value of a parse that must succeed; its error fails the test otherwise. */
export function parsedValue<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
