import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeCommand } from '../../commands/parse.js';
import { parseRoute, routeSyntax } from '../../src/routing/route-syntax.js';
import type { Route, RouteCondition, RouteTeam } from '../../src/routing/types.js';
import { OPERATORS } from '../../src/scoring/types.js';
import { plainWords } from '../../src/scoring/words.js';

/*
 * What `/mql routes` shows can be typed back: write a route, read it as the slash command reads it, get the same
 * route. Texts hold no double quote (the syntax has no escape for one) and none of `& < >`, which Slack escapes in
 * typed text (commands/parse.ts undoes that first).
 */

const CHARS = [..."aZ09 éßİ🚀'’.,#-+_;=!≥≠/*"];
const KEYWORDS = ['and', 'AND', 'to', 'To', 'when', 'team', 'mode', 'cap', 'hours', 'as', 'in', 'exists', 'score', 'claim', '30d'];
const DAY = 86_400_000;

const text = fc
  .oneof(fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 20 }), fc.constantFrom(...KEYWORDS))
  .map((t) => t.trim())
  .filter((t) => t !== '' && !/^events\.\s*$/i.test(t) && !/^(score|fit|engagement)$/i.test(t));
const listItem = text.map((t) => t.replace(/,/g, '').trim()).filter((t) => t !== '');
const number = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('2.5', '-0.25'));

function valueFor(op: RouteCondition['op']): fc.Arbitrary<string | null> {
  if (op === 'exists') return fc.constant(null);
  if (op === 'in') return fc.array(listItem, { minLength: 1, maxLength: 3 }).map((items) => items.join(', '));
  if (op === 'contains') return text.filter((t) => plainWords(t).length > 0);
  if (op === '=' || op === '!=' || op === 'includes') return text;
  return number;
}

const fieldCondition: fc.Arbitrary<RouteCondition> = fc.constantFrom(...OPERATORS).chain((op) =>
  fc
    .record({
      field: fc.oneof(text, fc.constantFrom('events.form_submit', 'EVENTS.webinar')),
      value: valueFor(op),
      withinMs: fc.constantFrom(undefined, 3_600_000, 30 * DAY),
    })
    .map(({ field, value, withinMs }) => ({
      field,
      op,
      value,
      ...(withinMs && field.toLowerCase().startsWith('events.') && { withinMs }),
    })),
);

const scoreCondition: fc.Arbitrary<RouteCondition> = fc.record({
  field: fc.constantFrom('score', 'fit', 'engagement', 'Score'),
  op: fc.constantFrom('=' as const, '!=' as const, '>' as const, '>=' as const, '<' as const, '<=' as const),
  value: number,
});

const id = (first: string) => fc.stringMatching(/^[A-Z0-9]{2,10}$/).map((rest) => `${first}${rest}`);

const team: fc.Arbitrary<RouteTeam> = fc
  .record({
    users: fc.uniqueArray(fc.oneof(id('U'), id('W')), { maxLength: 30 }),
    groups: fc.uniqueArray(id('S'), { maxLength: 5 }),
    weighted: fc.array(fc.integer({ min: 2, max: 10 }), { maxLength: 30 }),
  })
  .filter(({ users, groups }) => users.length + groups.length > 0)
  .map(({ users, groups, weighted }) => ({
    users,
    groups,
    weights: Object.fromEntries(users.flatMap((u, i) => (weighted[i] ? [[u, weighted[i]]] : []))),
  }));

const route: fc.Arbitrary<Route> = fc
  .record({
    // `when` and `to` cannot name a route: they begin the parts after the name.
    name: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/).filter((n) => !['default', 'when', 'to'].includes(n.toLowerCase())),
    conditions: fc.array(fc.oneof(fieldCondition, scoreCondition), { maxLength: 10 }),
    channel: fc.oneof(id('C'), id('G')),
    team: fc.option(team, { nil: null }),
    owner: fc.boolean(),
    maxOpen: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    businessHours: fc.boolean(),
  })
  .map(({ owner, maxOpen, businessHours, ...r }) => {
    const mode = owner ? 'owner' : r.team ? 'round-robin' : 'claim';
    // Only offers have a cap and wait for business hours: claim routes take neither.
    const offers = mode !== 'claim';
    return { ...r, mode, ...(offers && maxOpen !== undefined && { maxOpen }), ...(offers && businessHours && { businessHours }) };
  });

describe('the route syntax, written then read', () => {
  it('gives back the same route', () => {
    fc.assert(
      fc.property(route, (r) => {
        const tokens = tokenizeCommand(routeSyntax(r));
        expect(tokens.ok && parseRoute(tokens.value)).toEqual({ ok: true, value: r });
      }),
      { numRuns: 1500 },
    );
  });

  it('reads any text without throwing: a route or a sentence naming the problem', () => {
    const word = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(
        'when',
        'and',
        'to',
        'team',
        'mode',
        'cap',
        'hours',
        'round-robin',
        'owner',
        '<#C1>',
        '<@U1>',
        '*2',
        '*',
        '<!subteam^S1>',
        'score',
        '>=',
        'in',
        '30d',
        '"',
        'default',
      ),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 14 }), (words) => {
        const tokens = tokenizeCommand(words.join(' '));
        if (!tokens.ok) return;
        const parsed = parseRoute(tokens.value);
        if (!parsed.ok) expect(parsed.error).toMatch(/^\S/);
      }),
      { numRuns: 3000 },
    );
  });
});
