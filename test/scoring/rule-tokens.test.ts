import { describe, expect, it } from 'vitest';
import { parseInteger, tokenize } from '../../src/scoring/rule-tokens.js';
import { parsedValue } from '../helpers/parsed.js';

const tokens = (text: string) => parsedValue(tokenize(text));

const texts = (text: string) => tokens(text).map((t) => t.text);

describe('tokenize', () => {
  it('keeps quoted phrases whole with straight or curly quotes', () => {
    expect(tokens('"Lead Origin" = “Lead Add Form” 40')).toEqual([
      { text: 'Lead Origin', quoted: true, op: false },
      { text: '=', quoted: false, op: true },
      { text: 'Lead Add Form', quoted: true, op: false },
      { text: '40', quoted: false, op: false },
    ]);
    expect(texts('”Mixed quotes“ x')).toEqual(['Mixed quotes', 'x']);
  });

  it('splits operators written without spaces, and reads typographic ones', () => {
    expect(texts('TotalVisits>=5 5')).toEqual(['TotalVisits', '>=', '5', '5']);
    expect(texts('a!=b')).toEqual(['a', '!=', 'b']);
    expect(texts('score ≥ 5')).toEqual(['score', '>=', '5']);
  });

  it('keeps "!" inside words, and words the caller names whole', () => {
    expect(texts('Reply = Yes! 5')).toEqual(['Reply', '=', 'Yes!', '5']);
    expect(texts('owner = <@U123> 5')).toEqual(['owner', '=', '<', '@U123', '>', '5']);
    const result = tokenize('owner = <@U123> 5', /^<@[^>]*>$/);
    expect(result.ok && result.value.map((t) => t.text)).toEqual(['owner', '=', '<@U123>', '5']);
  });

  it('keeps unicode and emoji', () => {
    expect(texts('Größe = "Zürich 🚀" 5')).toEqual(['Größe', '=', 'Zürich 🚀', '5']);
  });

  it('makes ; a separator unless quoted', () => {
    expect(texts('threshold 35; remove 7')).toEqual(['threshold', '35', ';', 'remove', '7']);
    expect(tokens('x = "a;b" 5')[2]).toEqual({ text: 'a;b', quoted: true, op: false });
  });

  it('refuses an unclosed quote', () => {
    expect(tokenize('"Lead Origin = API 5')).toEqual({
      ok: false,
      error: 'unclosed quote in `"Lead Origin = API 5`; end the phrase with a second quote',
    });
  });
});

describe('parseInteger', () => {
  it('reads signed whole numbers, also with the typographic minus', () => {
    expect(['-20', '+5', '−20', '7'].map((text) => parseInteger({ text, quoted: false, op: false }))).toEqual([-20, 5, -20, 7]);
    expect(['2.5', 'five', '1234567890'].map((text) => parseInteger({ text, quoted: false, op: false }))).toEqual([null, null, null]);
    expect(parseInteger({ text: '>=', quoted: false, op: true })).toBeNull();
  });
});
