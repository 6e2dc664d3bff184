// Slack mrkdwn → a plain token tree. Pure (no DOM, no Preact) so it runs in Node tests; blocks.js turns
// tokens into vnodes. Every token carries text, never markup: the page never parses HTML.

import { EMOJI } from './emoji.js';
import { formatClock, formatSlackDate } from './dates.js';

export { EMOJI, formatClock, formatSlackDate };

const SAFE_SCHEME = /^(https?:|mailto:)/i;
// Links the bot builds with messageLink(): open the conversation in the page instead of leaving it.
const MESSAGE_LINK = /^https:\/\/(?:[a-z0-9-]+\.)?slack\.com\/archives\/([CDG][A-Z0-9]+)\/p(\d{10})(\d{6})(?:[?#].*)?$/;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
const MARKERS = { '*': 'bold', _: 'italic', '~': 'strike' };

/** Slack escapes only these three; one pass, so `&amp;lt;` stays `&lt;` as Slack shows it. */
export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** Text with known `:shortcodes:` turned into emoji tokens. */
export function textTokens(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(/:([a-z0-9_+-]+):/g)) {
    const emoji = EMOJI[m[1]];
    if (!emoji) continue;
    if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
    out.push({ type: 'emoji', name: m[1], text: emoji });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return mergeText(out);
}

/** A plain_text object: no markup, no entities; shortcodes only when `emoji` is not false. */
export function parsePlain(text, emoji = true) {
  return emoji ? textTokens(text) : [{ type: 'text', text }];
}

function userName(id, label, ctx) {
  if (ctx.bot && id === ctx.bot.id) return ctx.bot.name;
  const user = (ctx.users ?? []).find((u) => u.id === id);
  return user ? user.name : label || id;
}

/** One `<…>` token (its inside, still escaped) → a token. Anything unsafe or unknown becomes text. */
export function angleToken(inner, ctx = {}) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : decodeEntities(inner.slice(bar + 1));
  if (/^@[UW][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    return { type: 'user', id, text: `@${userName(id, label, ctx)}` };
  }
  if (/^#[CG][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const channel = (ctx.channels ?? []).find((c) => c.id === id);
    return { type: 'channel', id, text: `#${label || channel?.name || id}` };
  }
  if (target.startsWith('!')) return specialToken(target.slice(1), label, ctx);
  const href = decodeEntities(target).trim();
  if (!SAFE_SCHEME.test(href)) return { type: 'text', text: label || href };
  const link = { type: 'link', href, children: textTokens(label || href) };
  const m = MESSAGE_LINK.exec(href);
  if (m) Object.assign(link, { conversation: m[1], ts: `${m[2]}.${m[3]}` });
  return link;
}

function specialToken(body, label, ctx) {
  if (body === 'here' || body === 'channel' || body === 'everyone') return { type: 'broadcast', name: body, text: `@${body}` };
  if (body.startsWith('subteam^')) {
    const id = body.slice('subteam^'.length);
    const handle = label?.replace(/^@/, '') || (ctx.groups ?? []).find((g) => g.id === id)?.handle || id;
    return { type: 'usergroup', id, text: `@${handle}` };
  }
  if (body.startsWith('date^')) {
    const [, seconds, format = '{date_num} {time}'] = body.split('^');
    const n = Number(seconds);
    const ok = seconds !== undefined && /^\d+$/.test(seconds) && Number.isFinite(n);
    return { type: 'date', seconds: ok ? n : null, text: ok ? formatSlackDate(n, decodeEntities(format)) : label || decodeEntities(body) };
  }
  return { type: 'text', text: label || `<!${decodeEntities(body)}>` };
}

/** The text of a token (for code spans, where Slack shows links and mentions but no formatting). */
function flatText(token) {
  if (token.children) return token.children.map(flatText).join('');
  return token.text ?? '';
}

function mergeText(tokens) {
  const out = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (t.type === 'text' && prev?.type === 'text') prev.text += t.text;
    else if (t.type !== 'text' || t.text) out.push(t);
  }
  return out;
}

/**
 * A line → atoms: single (decoded) characters, or whole `<…>` tokens. Entities are decoded only here, after
 * `<…>` are split out, so `&lt;b&gt;` can never turn into markup.
 */
function atomize(line, ctx) {
  const atoms = [];
  let last = 0;
  const pushText = (raw) => {
    for (const ch of decodeEntities(raw)) atoms.push(ch);
  };
  for (const m of line.matchAll(/<([^<>\n]+)>/g)) {
    pushText(line.slice(last, m.index));
    atoms.push(angleToken(m[1], ctx));
    last = m.index + m[0].length;
  }
  pushText(line.slice(last));
  return atoms;
}

const isChar = (a) => typeof a === 'string';
// Slack's word-boundary rule: a marker opens after start/space/punctuation and closes before end/space/punctuation.
const boundary = (a) => a === undefined || !isChar(a) || !WORD.test(a);
const blank = (a) => a === undefined || (isChar(a) && SPACE.test(a));

function inline(atoms, from, to) {
  const out = [];
  let text = '';
  const flush = () => {
    if (text) out.push(...textTokens(text));
    text = '';
  };
  for (let i = from; i < to; i++) {
    const a = atoms[i];
    if (!isChar(a)) {
      flush();
      out.push(a);
      continue;
    }
    const kind = a === '`' ? 'code' : MARKERS[a];
    let close = -1;
    // Code spans need no word boundary (Slack renders a`b`c as code); emphasis does.
    if (kind === 'code') {
      const j = atoms.indexOf('`', i + 2);
      close = j >= 0 && j < to ? j : -1;
    } else if (kind && boundary(atoms[i - 1]) && !blank(atoms[i + 1])) close = findClose(atoms, a, i + 1, to);
    if (close < 0) {
      text += a;
      continue;
    }
    flush();
    if (kind === 'code')
      out.push({
        type: 'code',
        text: atoms
          .slice(i + 1, close)
          .map((x) => (isChar(x) ? x : flatText(x)))
          .join(''),
      });
    else out.push({ type: kind, children: inline(atoms, i + 1, close) });
    i = close;
  }
  flush();
  return mergeText(out);
}

function findClose(atoms, marker, from, to) {
  for (let j = from + 1; j < to; j++) {
    if (atoms[j] === marker && !blank(atoms[j - 1]) && boundary(j + 1 < to ? atoms[j + 1] : undefined)) return j;
  }
  return -1;
}

function lines(text, ctx) {
  const out = [];
  let quote = null;
  text.split('\n').forEach((line, n) => {
    const q = /^&gt;\s?/.exec(line);
    if (q) {
      const atoms = atomize(line.slice(q[0].length), ctx);
      const children = inline(atoms, 0, atoms.length);
      if (quote) quote.children.push({ type: 'br' }, ...children);
      else {
        quote = { type: 'quote', children };
        out.push(quote);
      }
      return;
    }
    if (n > 0 && !quote) out.push({ type: 'br' });
    quote = null;
    const atoms = atomize(line, ctx);
    out.push(...inline(atoms, 0, atoms.length));
  });
  return out;
}

/**
 * Parses Slack mrkdwn. `ctx` = { users, bot, channels, groups } names mentions. Returns tokens:
 * text, emoji, bold/italic/strike/quote (children), code/pre (text), br, link (href, children, and
 * conversation + ts for Slack message links), user, channel, broadcast, usergroup, date (all with text).
 */
export function parseMrkdwn(text, ctx = {}) {
  const out = [];
  let last = 0;
  // ``` blocks first: inside them only `<…>` and entities are read, never emphasis.
  const source = String(text ?? '');
  for (const m of source.matchAll(/```([\s\S]*?)```/g)) {
    // The pre is a block of its own: the newlines right around it are not extra line breaks.
    out.push(...lines(source.slice(last, m.index).replace(/\n$/, ''), ctx));
    const atoms = atomize(m[1].replace(/^\n/, ''), ctx);
    out.push({ type: 'pre', text: atoms.map((x) => (isChar(x) ? x : flatText(x))).join('') });
    last = m.index + m[0].length;
    if (source[last] === '\n') last++;
  }
  if (last < source.length || out.length === 0) out.push(...lines(source.slice(last), ctx));
  return mergeText(out);
}
