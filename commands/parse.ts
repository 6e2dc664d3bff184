/*
 * `/mql` text as Slack sends it → tokens of the rule syntax (src/scoring/rule-tokens.ts). Only what is
 * Slack's own is here: its escaping, its links and its mentions.
 */
import { fail, ok, parseInteger, showToken, tokenize, type Parsed, type Token } from '../src/scoring/rule-tokens.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

/**
 * Undoes Slack's escaping of slash-command text: mentions and channels lose their labels (`<@U1|ann>` →
 * `<@U1>`), links become their text (`<mailto:a@b.co|a@b.co>` → `a@b.co`), then `&amp;` `&lt;` `&gt;`
 * become `&` `<` `>` (once: `&amp;lt;` is the text `&lt;`).
 */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([@#!][^|>]*)\|[^>]*>/g, '<$1>')
    .replace(/<((?:mailto:|tel:|https?:\/\/)[^|>]*)\|([^>]*)>/g, '$2')
    .replace(/<((?:mailto:|tel:|https?:\/\/)[^|>]*)>/g, (_m, link: string) => link.replace(/^(mailto|tel):/, ''))
    .replace(/&(amp|lt|gt);/g, (_m, name: string) => ENTITIES[name]!)
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .trim();
}

/** Mentions (`<@U1>`, `<#C1>`, `<!subteam^S1>`) contain `<` `>` but are one word, a route weight glued on too (`<@U1>*2`). */
const MENTION = /^<[@#!][^>]*>(\*\d+)?$/;

/** The words of `/mql` text as Slack sends it. */
export function tokenizeCommand(text: string): Parsed<Token[]> {
  return tokenize(decodeSlackText(text), MENTION);
}

/** `revert <version>` (criteria, routes): one version number, `3`, `v3` or `#3`; `whereListed` says where to find them. */
export function parseVersionNumber(tokens: Token[], whereListed: string): Parsed<number> {
  if (tokens.length === 0) return fail(`missing the version to go back to; ${whereListed}`);
  if (tokens.length > 1) return fail(`expected only the version number, not \`${tokens.map(showToken).join(' ')}\``);
  const token = tokens[0]!;
  const version = parseInteger({ ...token, text: token.text.replace(/^[v#]/i, '') });
  return version !== null && version > 0 ? ok(version) : fail(`\`${showToken(token)}\` is not a version number like 3; ${whereListed}`);
}

/** `history [n]` (criteria, routes): how many versions to show, `shown` when not given, at most `max`. */
export function parseHowMany(tokens: Token[], shown: number, max: number): Parsed<number> {
  if (tokens.length === 0) return ok(shown);
  const wanted = tokens.length === 1 ? parseInteger(tokens[0]) : null;
  if (wanted === null || wanted < 1) return fail(`\`${tokens.map(showToken).join(' ')}\` is not a number of versions like 5`);
  return ok(Math.min(wanted, max));
}
