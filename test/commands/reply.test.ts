import { describe, expect, it } from 'vitest';
import { code, linesToBlocks, person, problem } from '../../commands/reply.js';

const textOf = (block: { type: string; text?: { text: string } }) => block.text?.text ?? '';

describe('linesToBlocks', () => {
  it('packs short lines into one section', () => {
    const blocks = linesToBlocks(['a', 'b', 'c']);
    expect(blocks).toHaveLength(1);
    expect(textOf(blocks[0]!)).toBe('a\nb\nc');
  });

  it('keeps every section within 3,000 characters and at most 50 blocks, counting what is left out', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(90)}`);
    const blocks = linesToBlocks(lines);
    expect(blocks).toHaveLength(50);
    for (const block of blocks) expect(textOf(block).length).toBeLessThanOrEqual(3000);
    const shown = blocks.flatMap((b) => textOf(b).split('\n')).filter((l) => l.startsWith('line '));
    const last = textOf(blocks[49]!).split('\n').pop()!;
    expect(last).toBe(`…and ${(2000 - shown.length).toLocaleString('en-US')} more`);
    expect(shown[shown.length - 1]).toBe(lines[shown.length - 1]);
  });

  it('honours a smaller block budget and cuts a single over-long line', () => {
    const blocks = linesToBlocks(['y'.repeat(5000), 'z'.repeat(100), 'w'], 1);
    expect(blocks).toHaveLength(1);
    expect(textOf(blocks[0]!).length).toBeLessThanOrEqual(3000);
    expect(textOf(blocks[0]!)).toMatch(/…\n…and 2 more$/);
  });
});

describe('text helpers', () => {
  it('escapes user text in code spans and problems', () => {
    expect(code('a >= <b> & `c`')).toBe("`a &gt;= &lt;b&gt; &amp; 'c'`");
    expect(problem('bad `<x>`', { usage: '/mql x <n>', example: '/mql x 1' }).text).toBe(
      ':warning: bad `&lt;x&gt;`\nUse: `/mql x &lt;n&gt;`\nExample: `/mql x 1`',
    );
  });

  it('mentions Slack users and shows other actors as text', () => {
    expect(person('U123ABC')).toBe('<@U123ABC>');
    expect(person('system')).toBe('system');
  });
});
