import { describe, expect, it } from 'vitest';
import { decodeSlackText, tokenizeCommand } from '../../commands/parse.js';
import { parseRule } from '../../src/scoring/rule-syntax.js';
import { parsedValue } from '../helpers/parsed.js';

const tokens = (text: string) => parsedValue(tokenizeCommand(text));

const texts = (text: string) => tokens(text).map((t) => t.text);

describe('decodeSlackText', () => {
  it('decodes the three escaped characters once', () => {
    expect(decodeSlackText('TotalVisits &gt;= 5 10')).toBe('TotalVisits >= 5 10');
    expect(decodeSlackText('a &lt; b &amp; c')).toBe('a < b & c');
    expect(decodeSlackText('&amp;lt;')).toBe('&lt;');
  });

  it('drops labels from mentions and reduces links to their text', () => {
    expect(decodeSlackText('owner = <@U123|ann> 5')).toBe('owner = <@U123> 5');
    expect(decodeSlackText('<!subteam^S9|@marketing>')).toBe('<!subteam^S9>');
    expect(decodeSlackText('<mailto:jane@example.com|jane@example.com>')).toBe('jane@example.com');
    expect(decodeSlackText('<mailto:jane@example.com>')).toBe('jane@example.com');
    expect(decodeSlackText('site = <https://example.com/a?b=1&amp;c=2> 5')).toBe('site = https://example.com/a?b=1&c=2 5');
  });
});

describe('tokenizeCommand', () => {
  it('reads operators as Slack escapes them', () => {
    expect(texts('TotalVisits&gt;=5 5')).toEqual(['TotalVisits', '>=', '5', '5']);
    expect(parseRule(tokens('TotalVisits &gt;= 5 5'))).toEqual({
      ok: true,
      value: { field: 'TotalVisits', op: '>=', value: '5', points: 5, label: null },
    });
    expect(parseRule(tokens('TotalVisits &gt;&gt; 5 5'))).toEqual({
      ok: false,
      error: 'unknown operator `>>`; use one of = != > >= < <= in contains includes exists',
    });
  });

  it('keeps mentions whole', () => {
    expect(texts('owner = <@U123|ann> 5')).toEqual(['owner', '=', '<@U123>', '5']);
    expect(texts('<#C1> <!subteam^S9|@marketing>')).toEqual(['<#C1>', '<!subteam^S9>']);
  });
});
