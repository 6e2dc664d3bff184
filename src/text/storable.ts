/**
 * Postgres stores neither NUL nor half of a UTF-16 surrogate pair (the half of an emoji a broken client
 * can send): text with either must be refused where it comes in, not fail the write later.
 */
export function unstorableCharacter(text: string): string | null {
  if (text.includes('\0')) return 'a NUL character';
  return LONE_SURROGATE.test(text) ? 'half of a surrogate pair (a broken emoji)' : null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
