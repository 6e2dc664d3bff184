import { describe, expect, it } from 'vitest';
import { ingestLeads } from '../../src/leads/ingest.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, count, readable } from './helpers.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
const say = (text: string) => ask(app.t, app.fakeSlack, text, 'UMANAGER');

async function storeLead() {
  await ingestLeads(
    app.database.db,
    [{ source: 'web', externalId: 'de1', country: 'Germany', attributes: { 'Lead Origin': 'Lead Add Form' } }],
    { now: NOW, actor: 'test', queuePosts: false },
  );
}

describe('/mql routes add: conditions on fields no lead has', () => {
  it('refuses a field no stored lead has, with "did you mean", as criteria do; --new-field saves it anyway', async () => {
    await storeLead();
    const refused = readable(await say('routes add es when "Lead Orign" = Google and countyr = Spain to C0ES'));
    expect(refused).toContain(
      ':warning: no lead has `Lead Orign`; did you mean `Lead Origin`? no lead has `countyr`; did you mean `country`? If leads will bring it later, add `--new-field` to the command to save the route anyway. Nothing was changed.',
    );
    expect(await count(app.database.db, 'routing_versions')).toBe(0);
    // Core fields, the score's own figures and stored attributes pass without a word.
    const fine = readable(await say('routes add de when country = Germany and score >= 10 and "lead origin" = x to C0DE'));
    expect(fine).toContain(':white_check_mark: Route *de* saved');
    const forced = readable(await say('routes add es when countyr = Spain to C0ES --new-field'));
    expect(forced).toContain(':white_check_mark: Route *es* saved as number 2 of 2');
    expect(forced).toContain('`es when countyr = Spain`');
  });

  it('says no field can be checked while no lead is stored', async () => {
    expect(readable(await say('routes add es when Region = south to C0ES'))).toContain(
      'no leads are stored yet, so no field can be checked. If leads will bring it later, add `--new-field`',
    );
    expect(await count(app.database.db, 'routing_versions')).toBe(0);
  });
});

describe('/mql routes add: a route an earlier one shadows', () => {
  it('saves it and warns when an earlier route has the same conditions, or only conditions this one has', async () => {
    await say('routes add emea when country in "Germany, France" to C0EMEA');
    const same = readable(await say('routes add w when COUNTRY in france,germany to C0W'));
    expect(same).toContain(':white_check_mark: Route *w* saved as number 2 of 2');
    expect(same).toContain(
      ':warning: Route `emea` (number 1) has the same conditions and takes these leads first, so this route is never reached: `/mql routes move w to 1`.',
    );
    const narrower = readable(await say('routes add big when score >= 60 and country in "Germany, France" to C0BIG'));
    expect(narrower).toContain(
      ':warning: Route `emea` (number 1) has only conditions this route has too and takes its leads first, so this route is never reached',
    );
    const other = readable(await say('routes add es when country = Spain to C0ES'));
    expect(other).not.toContain('never reached');
  });
});

describe('/mql routes: mentions in error messages', () => {
  it('shows mentions outside code, so Slack shows the name; never a `<` the user did not type', async () => {
    const cases: Array<[string, string]> = [
      ['routes add es to <@U0ANA|ana>', ':warning: <@U0ANA> is a person, not a channel: pick the channel'],
      ['routes add es to <#C0ES|es> <#C0SALES|sales>', ':warning: unexpected <#C0SALES> after the channel'],
      ['routes add es to C0ES team <@U0ANA|ana> <@U0ANA|ana>', ':warning: <@U0ANA> is in the team twice'],
      ['routes add es to C0ES team <!subteam^S0REPS|@reps> *3', 'the user group <!subteam^S0REPS> cannot have one'],
      ['routes add es to C0ES team <@U0ANA|ana>:2', ":warning: <@U0ANA> has `:2` glued to it; write a person's weight after a space"],
    ];
    for (const [text, message] of cases) expect(readable(await say(text)), text).toContain(message);
    // Anything else typed stays escaped.
    expect(readable(await say('routes add es to <!channel>'))).toContain('`&lt;!channel&gt;` is not a channel');
    expect(await count(app.database.db, 'routing_versions')).toBe(0);
  });
});

describe('/mql routes: wording', () => {
  it('says a move to where a route is already once that nothing changed', async () => {
    await say('routes add es to C0ES');
    expect(readable(await say('routes move es to 1'))).toContain(':warning: `es` is number 1 already; nothing was changed\nUse:');
  });

  it('explains in routes test that turns are counted across all routes over ROUTING_WINDOW', async () => {
    await storeLead();
    expect(readable(await say('routes test'))).toContain(
      'Turns are counted across all routes over the last 7 d (ROUTING_WINDOW), so a rep busy on another route gets fewer here.',
    );
  });

  it('help for routes remove says leads already handed over keep their route', async () => {
    expect(readable(await say('help'))).toContain('leads already handed over keep theirs (managers)');
  });
});
