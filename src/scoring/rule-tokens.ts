/*
 * The words of the rule syntax (rule-syntax.ts reads them): words, "quoted phrases", operators and `;`.
 * Pure. Text arrives here plain: whatever a transport escaped (Slack's `&gt;`, commands/parse.ts) is undone first.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

export interface Token {
  text: string;
  /** Written in quotes: never an operator or keyword, may contain spaces. */
  quoted: boolean;
  /** A run of comparison characters (`>=`, `=>`, `!=`) written outside quotes. */
  op: boolean;
}

/** Straight and typographic double quotes (macOS turns `"` into “ ” as you type). */
const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e', '\u201f', '\u00ab', '\u00bb']);
/** `≥ ≤ ≠` typed (or auto-corrected) for `>= <= !=`. */
const TYPOGRAPHIC_OPS: Record<string, string> = { '\u2265': '>=', '\u2264': '<=', '\u2260': '!=' };

/** Splits an unquoted word at runs of comparison characters: `visits>=5` → `visits`, `>=`, `5`. */
function splitOperators(word: string, oneWord: RegExp | undefined): Token[] {
  if (oneWord?.test(word)) return [{ text: word, quoted: false, op: false }];
  const tokens: Token[] = [];
  for (const part of word.match(/[<>=!\u2264\u2265\u2260]+|[^<>=!\u2264\u2265\u2260]+/g) ?? []) {
    // A run of only "!" is not an operator: "Yes!" stays one word.
    const isOp = /[<>=\u2264\u2265\u2260]/.test(part);
    const last = tokens[tokens.length - 1];
    if (isOp) tokens.push({ text: TYPOGRAPHIC_OPS[part] ?? part, quoted: false, op: true });
    else if (last && !last.op) last.text += part;
    else tokens.push({ text: part, quoted: false, op: false });
  }
  return tokens;
}

/** `;` separates trial changes; it is a token of its own unless quoted. */
export const SEPARATOR = ';';

/**
 * Words, "quoted phrases" (straight or curly quotes) and operators. Fails on an unclosed quote. Unquoted
 * words matching `oneWord` are never split at comparison characters (Slack's `<@U1>` mentions).
 */
export function tokenize(text: string, oneWord?: RegExp): Parsed<Token[]> {
  const tokens: Token[] = [];
  const chars = [...text];
  let word = '';
  const endWord = () => {
    if (word) tokens.push(...splitOperators(word, oneWord));
    word = '';
  };
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (/\s/.test(char)) {
      endWord();
    } else if (char === SEPARATOR) {
      endWord();
      tokens.push({ text: SEPARATOR, quoted: false, op: false });
    } else if (QUOTES.has(char) && word === '') {
      const close = chars.findIndex((c, j) => j > i && QUOTES.has(c));
      if (close < 0) return fail(`unclosed quote in \`${chars.slice(i).join('')}\`; end the phrase with a second quote`);
      tokens.push({ text: chars.slice(i + 1, close).join(''), quoted: true, op: false });
      i = close;
    } else {
      word += char;
    }
  }
  endWord();
  return ok(tokens);
}

/** Whether an unquoted token is the keyword `word` (case-insensitive). */
export const isWord = (token: Token | undefined, word: string): boolean =>
  !!token && !token.quoted && !token.op && token.text.toLowerCase() === word;

/** A whole number, optionally signed (`-20`, `+5`, or `−20` with the typographic minus). */
export function parseInteger(token: Token | undefined): number | null {
  if (!token || token.op) return null;
  const text = token.text.trim().replace(/^\u2212/, '-');
  return /^[+-]?\d{1,9}$/.test(text) ? Number(text) : null;
}

/** A token as it was written, for error messages. */
export const showToken = (token: Token) => (token.quoted ? `"${token.text}"` : token.text);
