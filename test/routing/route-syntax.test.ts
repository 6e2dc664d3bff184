import { describe, expect, it } from 'vitest';
import { tokenizeCommand } from '../../commands/parse.js';
import { parseRoute, routeSyntax } from '../../src/routing/route-syntax.js';
import type { Route } from '../../src/routing/types.js';
import { parsedValue } from '../helpers/parsed.js';

/** Text as Slack sends it in a slash command: mentions carry labels, which the command's tokenizer drops. */
const route = (text: string) => parsedValue(parseRoute(parsedValue(tokenizeCommand(text))));

function routeError(text: string): string {
  const result = parseRoute(parsedValue(tokenizeCommand(text)));
  if (result.ok) throw new Error(`expected an error for ${text}, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('parseRoute', () => {
  it("reads the issue's example: a country list, a channel mention and a team of two in round-robin", () => {
    expect(route('emea when country in "Germany, France" to <#C0EMEA|emea-sales> team <@U0ANA|ana> <@U0BEN|ben> mode round-robin')).toEqual(
      {
        name: 'emea',
        conditions: [{ field: 'country', op: 'in', value: 'Germany, France' }],
        channel: 'C0EMEA',
        team: { users: ['U0ANA', 'U0BEN'], groups: [], weights: {} },
        mode: 'round-robin',
      } satisfies Route,
    );
  });

  it('joins conditions with and, including the score, fit and engagement and windowed event counts', () => {
    expect(
      route('big when "Lead Source" = Google and score >= 60 and fit > 20 and events.form_submit in 30d >= 1 to C0BIG').conditions,
    ).toEqual([
      { field: 'Lead Source', op: '=', value: 'Google' },
      { field: 'score', op: '>=', value: '60' },
      { field: 'fit', op: '>', value: '20' },
      { field: 'events.form_submit', op: '>=', value: '1', withinMs: 30 * 86_400_000 },
    ]);
  });

  it('defaults to claim without a team and round-robin with one', () => {
    expect(route('us when country = "United States" to <#C0US>')).toMatchObject({ mode: 'claim', team: null });
    expect(route('us when country = "United States" to C0US team U0ANA')).toMatchObject({ mode: 'round-robin' });
  });

  it('takes a route without conditions (every lead that reaches it), group mentions, ids and weights', () => {
    const r = route('all to G0PRIVATE team <@U0ANA|ana> *2 U0BEN*3 <@W0CAR> *2 <!subteam^S0SALES|@sales> S0OPS mode owner cap 3 hours');
    expect(r).toEqual({
      name: 'all',
      conditions: [],
      channel: 'G0PRIVATE',
      team: { users: ['U0ANA', 'U0BEN', 'W0CAR'], groups: ['S0SALES', 'S0OPS'], weights: { U0ANA: 2, U0BEN: 3, W0CAR: 2 } },
      mode: 'owner',
      maxOpen: 3,
      businessHours: true,
    } satisfies Route);
  });

  it('reads a weight glued to a mention as Slack sends it without a space (`<@U0ANA|ana>*2`)', () => {
    expect(route('emea when country = DE to C0DE team <@U0ANA|ana>*2 <@U0BEN>')).toMatchObject({
      team: { users: ['U0ANA', 'U0BEN'], weights: { U0ANA: 2 } },
    });
  });

  it('takes a team under mode claim: it is offered the leads left unclaimed at their claim SLA (REASSIGN_ON_CLAIM_SLA)', () => {
    expect(route('de when country = DE to C0DE team U0ANA U0BEN mode claim')).toMatchObject({
      mode: 'claim',
      team: { users: ['U0ANA', 'U0BEN'], groups: [], weights: {} },
    });
  });

  it('keeps mode owner without a team (the command says it falls back to claim) and takes the options in any order', () => {
    expect(route('known when score >= 10 to C0K mode owner')).toMatchObject({ mode: 'owner', team: null });
    expect(route('x to C0X hours cap 2 mode round-robin team U0ANA')).toMatchObject({
      mode: 'round-robin',
      maxOpen: 2,
      businessHours: true,
    });
  });

  it('writes a route back in the syntax it was typed in', () => {
    const text =
      'emea when country in "Germany, France" and score >= 60 to <#C0EMEA> team <@U0ANA> *2 <@U0BEN> <!subteam^S0SALES> mode round-robin cap 3 hours';
    expect(routeSyntax(route(text))).toBe(text);
    // A list typed without spaces reads back with them, as a list is usually typed.
    expect(routeSyntax(route('de when country in Germany,Austria to C0DE'))).toBe(
      'de when country in "Germany, Austria" to <#C0DE> mode claim',
    );
    expect(routeSyntax(route('uk when country in UK to C0UK'))).toBe('uk when country in UK to <#C0UK> mode claim');
    expect(routeSyntax(route('all to C0ALL'))).toBe('all to <#C0ALL> mode claim');
    expect(routeSyntax(route('q when "Lead Source" = "and" to C0Q'))).toBe('q when "Lead Source" = "and" to <#C0Q> mode claim');
  });

  it('names each problem in a sentence', () => {
    const cases: Array<[string, string]> = [
      ['', 'missing the route name: one short word first, e.g. emea'],
      ['when country = DE to C0DE', 'missing the route name: one short word first, e.g. emea'],
      ['"emea west" to C0DE', '`"emea west"` is not a route name: use one word of letters, digits, - and _ (at most 40), e.g. emea'],
      [`${'x'.repeat(41)} to C0DE`, 'is not a route name'],
      ['Default to C0DE', '`default` is the route every other lead takes; choose another name'],
      ['emea', 'missing `to <channel>` after the name, e.g. to #emea-sales'],
      ['emea country = DE to C0DE', 'expected `when <condition>` or `to <channel>` after the name, not `country`'],
      ['emea when country = DE', 'missing `to <channel>` after the conditions, e.g. to #emea-sales'],
      ['emea when to C0DE', 'missing the condition after `when`, e.g. when country = Germany'],
      ['emea when country = DE and to C0DE', 'missing a condition after `and`'],
      ['emea when and country = DE to C0DE', 'missing a condition before `and`'],
      ['emea when country = DE France to C0DE', 'unexpected `France` after the condition `country = DE`; join conditions with `and`'],
      ['emea when lead source = Google to C0DE', 'a field name with spaces needs quotes: "lead source"'],
      ['emea when country =', 'missing `to <channel>` after the conditions'],
      ['emea when country = to C0DE', 'missing the value after `=`'],
      ['emea when country like DE to C0DE', 'unknown operator `like`'],
      ['emea when score >= high to C0DE', '`>=` compares numbers and `high` is not a number'],
      ['emea when score contains 60 to C0DE', "`score` is the lead's total score: compare it with a number, e.g. score >= 60"],
      ['emea when fit exists to C0DE', "`fit` is the lead's fit score: compare it with a number, e.g. fit >= 60"],
      ['emea when score in 30d >= 5 to C0DE', 'only event counts take a window'],
      [`emea when ${Array.from({ length: 11 }, (_, i) => `f${i} = 1`).join(' and ')} to C0DE`, 'a route has at most 10 conditions, not 11'],
      ['emea when country = DE to', 'missing the channel after `to`'],
      [
        'emea when country = DE to #emea-sales',
        '`#emea-sales` is a channel name, which Slack did not turn into a channel: pick the channel',
      ],
      ['emea when country = DE to emea-sales', '`emea-sales` is not a channel'],
      // Mentions stay outside code, where Slack shows them by name; the command keeps them unescaped.
      ['emea when country = DE to <@U0ANA>', '<@U0ANA> is a person, not a channel: pick the channel'],
      ['emea when country = DE to <!subteam^S0A>', '<!subteam^S0A> is a user group, not a channel'],
      ['emea when country = DE to <#C0DE> <#C0SALES>', 'unexpected <#C0SALES> after the channel'],
      ['emea when country = DE <#C0X> to C0DE', 'unexpected <#C0X> after the condition `country = DE`'],
      ['emea when country = DE to C0DE team <#C0X>', '<#C0X> is a channel, not a person or a user group'],
      // `@ana:2` as Slack sends it: the mention broken at its brackets; no `<` the user never typed.
      ['emea when country = DE to C0DE team <@U0ANA>:2', "<@U0ANA> has `:2` glued to it; write a person's weight after a space"],
      ['emea when country = DE to C0DE team <@U0ANA>*2x', 'glued to it'],
      ['emea when country = DE to C0DE team', 'missing the members after `team`'],
      ['emea when country = DE to C0DE team @ana', '`@ana` is a name, which Slack did not turn into a mention: pick people'],
      ['emea when country = DE to C0DE team ana', '`ana` is not a person or a user group'],
      ['emea when country = DE to C0DE team U0ANA U0ANA', '<@U0ANA> is in the team twice'],
      ['emea when country = DE to C0DE team <!subteam^S0A> S0A', '<!subteam^S0A> is in the team twice'],
      ['emea when country = DE to C0DE team U0ANA*0', 'a weight is a whole number from 1 to 10'],
      ['emea when country = DE to C0DE team U0ANA*11', 'not `*11`'],
      ['emea when country = DE to C0DE team S0SALES*2', 'a weight is for a person; the user group <!subteam^S0SALES> cannot have one'],
      [`emea when country = DE to C0DE team ${Array.from({ length: 51 }, (_, i) => `U0X${i}`).join(' ')}`, 'a team has at most 50 members'],
      ['emea when country = DE to C0DE mode fast', 'unknown mode `fast`; use claim, round-robin or owner'],
      ['emea when country = DE to C0DE mode', 'missing the mode after `mode`'],
      [
        'emea when country = DE to C0DE cap 0 team U0ANA',
        'the cap is how many open leads a rep may hold, a whole number from 1 to 1000, not `0`',
      ],
      ['emea when country = DE to C0DE team U0ANA cap', 'not nothing'],
      ['emea when country = DE to C0DE hours hours', '`hours` is given twice'],
      ['emea when country = DE to C0DE fast', 'unexpected `fast` after the channel; team, mode, cap and hours may follow'],
      ['emea when country = DE to C0DE mode round-robin', '`mode round-robin` needs a team to take turns'],
      ['emea when country = DE to C0DE cap 3', '`cap` limits the leads offered to each rep; `mode claim` offers none'],
      ['emea when country = DE to C0DE hours', '`hours` holds offers outside business hours; `mode claim` offers none'],
    ];
    for (const [text, message] of cases) expect(routeError(text), text).toContain(message);
  });
});
