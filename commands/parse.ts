/*
 * `/mql` text as Slack sends it → tokens of the rule syntax (src/scoring/rule-tokens.ts). Only what is
 * Slack's own is here: its escaping, its links and its mentions.
 */
import { tokenize, type Parsed, type Token } from '../src/scoring/rule-tokens.js';

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
