import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EMOJI, formatClock, formatSlackDate, parseMrkdwn, parsePlain, type Token } from '../../src/sandbox/page/mrkdwn.js';

const names = {
  users: [
    { id: 'U0SBANA', name: 'Ana' },
    { id: 'U0SBBEN', name: 'Ben' },
  ],
  bot: { id: 'U0SBBOT', name: 'MQL bot' },
  channels: [{ id: 'C0SBSALES', name: 'sales' }],
  groups: [{ id: 'S0SBREPS', handle: 'sales-reps' }],
};
const parse = (text: string) => parseMrkdwn(text, names);
const text = (t: string): Token => ({ type: 'text', text: t });

/** Every token in the tree, depth first. */
function walk(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => ('children' in t ? [t, ...walk(t.children)] : [t]));
}

describe('emphasis', () => {
  it('reads bold, italic, strike and inline code', () => {
    expect(parse('*bold* _it_ ~gone~ `x*y*`')).toEqual([
      { type: 'bold', children: [text('bold')] },
      text(' '),
      { type: 'italic', children: [text('it')] },
      text(' '),
      { type: 'strike', children: [text('gone')] },
      text(' '),
      { type: 'code', text: 'x*y*' },
    ]);
  });

  it('nests emphasis around links and mentions', () => {
    expect(parse('*Claimed by <@U0SBANA>*')).toEqual([
      { type: 'bold', children: [text('Claimed by '), { type: 'user', id: 'U0SBANA', text: '@Ana' }] },
    ]);
  });

  it('only counts markers at word boundaries, as Slack does', () => {
    expect(parse('a*b*c snake_case_name 2~3~4')).toEqual([text('a*b*c snake_case_name 2~3~4')]);
    expect(parse('(*x*).')).toEqual([text('('), { type: 'bold', children: [text('x')] }, text(').')]);
    expect(parse('* not bold *')).toEqual([text('* not bold *')]);
  });

  it('keeps a field label and value on two lines', () => {
    expect(parse('*Score*\n*82* (threshold 60)')).toEqual([
      { type: 'bold', children: [text('Score')] },
      { type: 'br' },
      { type: 'bold', children: [text('82')] },
      text(' (threshold 60)'),
    ]);
  });

  it('reads quotes and ``` blocks, with no emphasis inside a block', () => {
    expect(parse('&gt; quoted *x*\n&gt; two\nafter')).toEqual([
      { type: 'quote', children: [text('quoted '), { type: 'bold', children: [text('x')] }, { type: 'br' }, text('two')] },
      text('after'),
    ]);
    expect(parse('before\n```a *b* &lt;c&gt;```\nafter')).toEqual([text('before'), { type: 'pre', text: 'a *b* <c>' }, text('after')]);
  });
});

describe('links', () => {
  it('reads labelled and bare http(s) and mailto links', () => {
    expect(parse('<https://example.com/a?b=1&amp;c=2|the &lt;docs&gt;> <https://x.example> <mailto:a@b.example|mail>')).toEqual([
      { type: 'link', href: 'https://example.com/a?b=1&c=2', children: [text('the <docs>')] },
      text(' '),
      { type: 'link', href: 'https://x.example', children: [text('https://x.example')] },
      text(' '),
      { type: 'link', href: 'mailto:a@b.example', children: [text('mail')] },
    ]);
  });

  it('renders javascript:, data: and other schemes as text, never as links', () => {
    const tokens = parse('<javascript:alert(1)|click me> <JavaScript:alert(1)> <data:text/html,x|d> < javascript:x|y>');
    expect(walk(tokens).filter((t) => t.type === 'link')).toEqual([]);
    expect(tokens).toEqual([text('click me JavaScript:alert(1) d y')]);
  });

  it('marks Slack message links with their conversation and ts', () => {
    expect(parse('<https://slack.com/archives/C0SBSALES/p1700000000000100|Jane Doe>')).toEqual([
      {
        type: 'link',
        href: 'https://slack.com/archives/C0SBSALES/p1700000000000100',
        children: [text('Jane Doe')],
        conversation: 'C0SBSALES',
        ts: '1700000000.000100',
      },
    ]);
  });
});

describe('mentions and specials', () => {
  it('names users from the list, the bot by its name, unknown ids as typed', () => {
    expect(parse('<@U0SBANA> <@U0SBBOT> <@U0NOBODY> <@U0SBBEN|benny>')).toEqual([
      { type: 'user', id: 'U0SBANA', text: '@Ana' },
      text(' '),
      { type: 'user', id: 'U0SBBOT', text: '@MQL bot' },
      text(' '),
      { type: 'user', id: 'U0NOBODY', text: '@U0NOBODY' },
      text(' '),
      { type: 'user', id: 'U0SBBEN', text: '@Ben' },
    ]);
  });

  it('reads <!here>, <!channel>, user groups and channels', () => {
    expect(parse('<!here> This lead has waited')).toEqual([
      { type: 'broadcast', name: 'here', text: '@here' },
      text(' This lead has waited'),
    ]);
    expect(parse('<!channel> <!subteam^S0TEAM> <#C0SBSALES> <#C0OTHER|other>')).toEqual([
      { type: 'broadcast', name: 'channel', text: '@channel' },
      text(' '),
      { type: 'usergroup', id: 'S0TEAM', text: '@S0TEAM' },
      text(' '),
      { type: 'channel', id: 'C0SBSALES', text: '#sales' },
      text(' '),
      { type: 'channel', id: 'C0OTHER', text: '#other' },
    ]);
    // A group the workspace knows is named by its handle, as Slack shows it.
    expect(parse('<!subteam^S0SBREPS>')).toEqual([{ type: 'usergroup', id: 'S0SBREPS', text: '@sales-reps' }]);
  });

  it('formats <!date^…> in local time, and falls back when the seconds are not a number', () => {
    const seconds = new Date(2026, 10, 30, 14, 5).getTime() / 1000; // local time, so any TZ gives the same text
    expect(parse(`<!date^${seconds}^{date_short_pretty} {time}|2026-11-30 13:05 UTC>`)).toEqual([
      { type: 'date', seconds, text: 'Mon 30 Nov 14:05' },
    ]);
    expect(parse('<!date^soon^{time}|some day>')).toEqual([{ type: 'date', seconds: null, text: 'some day' }]);
    expect(formatSlackDate(seconds, '{date_num} {time_secs} {nope}')).toBe('2026-11-30 14:05:00 {nope}');
    expect(formatClock(new Date(2026, 10, 30, 9, 7))).toBe('Mon 30 Nov 09:07');
  });
});

describe('entities', () => {
  it('decodes &lt; &gt; &amp; in text only, so escaped markup stays text', () => {
    const tokens = parse('Lead: &lt;img onerror=alert(1)&gt;');
    expect(tokens).toEqual([text('Lead: <img onerror=alert(1)>')]);
  });

  it('never reads decoded text as a link or mention', () => {
    expect(parse('&lt;https://evil.example|x&gt; &lt;@U0SBANA&gt; &lt;!here&gt;')).toEqual([
      text('<https://evil.example|x> <@U0SBANA> <!here>'),
    ]);
  });

  it('decodes one level only', () => {
    expect(parse('&amp;lt;b&amp;gt; &amp;amp;')).toEqual([text('&lt;b&gt; &amp;')]);
  });
});

describe('emoji', () => {
  it('knows every shortcode the bot writes, so the page never shows one as typed', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('src', f));
    const written = new Set(
      [...files, ...readdirSync('commands').map((f) => join('commands', f))].flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/(?<![\w:/]):([a-z][a-z_0-9]+):(?=[ *])/g)].map((m) => m[1]!),
      ),
    );
    expect(written.size).toBeGreaterThan(5);
    expect([...written].filter((name) => !(name in EMOJI))).toEqual([]);
  });

  it("turns the bot's shortcodes into emoji and leaves unknown ones as typed", () => {
    expect(parse(':warning: :no_such_emoji: done :white_check_mark:')).toEqual([
      { type: 'emoji', name: 'warning', text: '⚠️' },
      text(' :no_such_emoji: done '),
      { type: 'emoji', name: 'white_check_mark', text: '✅' },
    ]);
  });

  it('leaves shortcodes in code as typed', () => {
    expect(parse('`:tada:`')).toEqual([{ type: 'code', text: ':tada:' }]);
  });
});

describe('parsePlain', () => {
  it('keeps plain_text as typed (no markup, no entities) but for emoji', () => {
    expect(parsePlain('<img src=x onerror=alert(1)> *a* &amp; :tada:')).toEqual([
      text('<img src=x onerror=alert(1)> *a* &amp; '),
      { type: 'emoji', name: 'tada', text: '🎉' },
    ]);
    expect(parsePlain(':tada:', false)).toEqual([text(':tada:')]);
  });
});

describe('any input', () => {
  it('never throws and never yields a link outside http, https and mailto', () => {
    const piece = fc.constantFrom(
      '<',
      '>',
      '|',
      '*',
      '_',
      '~',
      '`',
      '```',
      '&lt;',
      '&gt;',
      '&amp;',
      '\n',
      ' ',
      'a',
      ':',
      'javascript:',
      'https://x',
      '@U0SBANA',
      '!here',
      '&gt; ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        for (const t of walk(parse(parts.join('')))) {
          if (t.type === 'link') expect(t.href).toMatch(/^(https?:|mailto:)/i);
        }
      }),
    );
  });
});
