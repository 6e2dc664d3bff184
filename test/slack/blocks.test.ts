import { describe, expect, it } from 'vitest';
import { button } from '../../src/slack/blocks.js';
import { escapeMrkdwn, formatDuration, limitList, truncate } from '../../src/slack/mrkdwn.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack reads as markup', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });

  it('escapes & first, so entities are not double-escaped', () => {
    expect(escapeMrkdwn('<@U123>')).toBe('&lt;@U123&gt;');
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });

  it('leaves other text, quotes and formatting characters alone', () => {
    expect(escapeMrkdwn('*bold* _it_ "q" \'s\' 😀')).toBe('*bold* _it_ "q" \'s\' 😀');
    expect(escapeMrkdwn('')).toBe('');
  });
});

describe('truncate', () => {
  it('returns text within the limit unchanged', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello', 100)).toBe('hello');
  });

  it('cuts to exactly the limit, the last unit being "…"', () => {
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 8)).toHaveLength(8);
  });

  it('counts UTF-16 units: an emoji is two', () => {
    const fourEmoji = '😀😀😀😀'; // 8 units
    expect(truncate(fourEmoji, 8)).toBe(fourEmoji);
    expect(truncate(fourEmoji, 7)).toBe('😀😀😀…');
    expect(truncate(fourEmoji, 7)).toHaveLength(7);
  });

  it('never splits a surrogate pair at the cut', () => {
    // 'abc😀def' is 8 units; cutting to 5 leaves room for 4 units, which would end mid-emoji.
    const cut = truncate('abc😀def', 5);
    expect(cut).toBe('abc…');
    expect(cut).not.toMatch(LONE_SURROGATE);
    for (let max = 1; max <= 40; max++) {
      const text = truncate('a😀b😀😀c😀😀😀d😀'.repeat(3), max);
      expect(text.length).toBeLessThanOrEqual(max);
      expect(text).not.toMatch(LONE_SURROGATE);
    }
  });

  it('handles a 3,000+ char text', () => {
    const cut = truncate('x'.repeat(3500), 3000);
    expect(cut).toBe(`${'x'.repeat(2999)}…`);
  });

  it('a limit of 1 leaves only "…"', () => {
    expect(truncate('abc', 1)).toBe('…');
  });
});

describe('limitList', () => {
  const more = (n: number) => `and ${n} more`;

  it('keeps lists up to the limit as they are', () => {
    expect(limitList([], 3, more)).toEqual([]);
    expect(limitList(['a', 'b', 'c'], 3, more)).toEqual(['a', 'b', 'c']);
  });

  it('shows the first `max` items then how many are left', () => {
    expect(limitList(['a', 'b', 'c', 'd', 'e'], 3, more)).toEqual(['a', 'b', 'c', 'and 2 more']);
    expect(limitList(['a', 'b', 'c', 'd'], 3, more)).toEqual(['a', 'b', 'c', 'and 1 more']);
  });

  it('does not change the input', () => {
    const items = ['a', 'b', 'c'];
    limitList(items, 1, more);
    expect(items).toEqual(['a', 'b', 'c']);
  });
});

describe('formatDuration', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;

  it.each([
    [0, '0 s'],
    [20 * s, '20 s'],
    [29 * s, '29 s'],
    [-5 * m, '0 s'],
    [3 * m, '3 min'],
    [3 * m + 20 * s, '3 min 20 s'],
    [30 * s, '30 s'],
    [33 * s, '33 s'],
    [59 * s + 999, '59 s'],
    [90 * s, '1 min 30 s'],
    [h + 5 * m + 40 * s, '1 h 5 min'],
    [2 * h + 5 * s, '2 h'],
    [59 * m, '59 min'],
    [60 * m, '1 h'],
    [59 * m + 50 * s, '59 min'],
    [9 * m + 59 * s, '9 min 59 s'],
    [12 * m + 29 * s, '12 min'],
    [2 * h + 5 * m, '2 h 5 min'],
    [23 * h + 59 * m, '23 h 59 min'],
    [24 * h, '1 d'],
    [d + 4 * h, '1 d 4 h'],
    [d + 4 * h + 30 * m, '1 d 4 h'],
    [3 * d, '3 d'],
    [10 * d + 1 * h, '10 d 1 h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('button', () => {
  it('builds a plain-text button with action id, value and style', () => {
    expect(button('Claim', 'mql_claim', '42', 'primary')).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'Claim', emoji: true },
      action_id: 'mql_claim',
      value: '42',
      style: 'primary',
    });
  });

  it('has no style key unless one is given', () => {
    expect(button('Release', 'mql_release', '42')).not.toHaveProperty('style');
  });

  it('cuts the text to Slack’s 75-char limit with "…"', () => {
    const b = button('B'.repeat(100), 'a', 'v');
    expect(b.text.text).toHaveLength(75);
    expect(b.text.text).toBe(`${'B'.repeat(74)}…`);
    expect(button('C'.repeat(75), 'a', 'v').text.text).toBe('C'.repeat(75));
  });

  it('cuts the value to 2,000 chars', () => {
    expect(button('x', 'a', 'v'.repeat(2500)).value).toHaveLength(2000);
  });
});
