import fc from 'fast-check';
import { HttpResponse } from 'msw';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../db/client.js';
import { setAway } from '../../db/queries/rep-away.js';
import { saveRoutingVersion } from '../../db/queries/routing.js';
import type { Route } from '../../src/routing/types.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { ingestLeads } from '../../src/leads/ingest.js';
import type { LeadInput } from '../../src/leads/input.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, count, readable } from './helpers.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const MANAGER = 'UMANAGER';
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
afterEach(() => vi.restoreAllMocks());

const EMEA =
  'routes add emea when country in "Germany, France" to <#C0EMEA|emea-sales> team <@U0ANA|ana> <@U0BEN|ben> *2 <!subteam^S0EMEA|@emea> mode round-robin cap 3';
const ADD_USAGE = 'Use: `/mql routes add &lt;name&gt; [when &lt;condition&gt; [and &lt;condition&gt;]…] to &lt;#channel&gt;';

const say = (text: string, user = MANAGER) => ask(app.t, app.fakeSlack, text, user);
const versions = () =>
  queryRows<{ version: number; created_by: string; change: string; routes: Array<{ name: string }> }>(
    app.database.db,
    sql`select version, created_by, change, routes from routing_versions order by version`,
  );

/** The EMEA user group has Car in it; any other group is unknown (the fake answers no members). */
function scriptGroups() {
  app.fakeSlack.respond('usergroups.users.list', (args) => (args.usergroup === 'S0EMEA' ? { ok: true, users: ['U0CAR'] } : undefined));
}

/** Qualified leads of the last days (the Inquiry form alone qualifies), and one from long ago. */
async function storeLeads() {
  const lead = (id: string, country: string): LeadInput => ({
    source: 'web',
    externalId: id,
    country,
    attributes: { 'Lead Origin': 'Lead Add Form' },
  });
  const store = (inputs: LeadInput[], daysAgo: number) =>
    ingestLeads(app.database.db, inputs, { now: new Date(NOW.getTime() - daysAgo * 86_400_000), actor: 'test', queuePosts: false });
  await store([lead('de-old', 'Germany')], 45);
  await store([lead('de1', 'Germany'), lead('de2', 'Germany'), lead('fr1', 'France'), lead('fr2', 'France'), lead('in1', 'India')], 2);
}

describe('/mql routes (anyone)', () => {
  it('without routes: the default route, and who is away', async () => {
    await setAway(app.database.db, { userId: 'U0ANA', awayUntil: new Date(NOW.getTime() + 86_400_000), since: NOW, setBy: 'U0ANA' });
    await setAway(app.database.db, { userId: 'U0BEN', awayUntil: null, since: NOW, setBy: MANAGER });
    const reply = await say('routes', 'UREP1');
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain('*Routes* — none: every lead takes the default route');
    expect(text).toContain('*default:* everything else → <#CSALES> claim (the first click wins)');
    expect(text).toMatch(/Away now: <@U0ANA> until <!date\^\d+\^[^>]+>, <@U0BEN> until they are back\./);
  });

  it('lists the routes in order as they are typed, the default last, with the version and who changed it', async () => {
    scriptGroups();
    await say(EMEA);
    await say('routes add big when score >= 60 to C0BIG');
    const text = readable(await say('routes', 'UREP1'));
    expect(text).toContain('*Routes* — 2 in order; the first whose conditions hold takes the lead');
    expect(text).toMatch(/Version 2, changed by <@UMANAGER> <!date\^\d+\^[^>]+>: add big as number 2/);
    expect(text).toContain(
      '*1.* `emea when country in "Germany, France"` to <#C0EMEA> team <@U0ANA> <@U0BEN> *2 <!subteam^S0EMEA> mode round-robin cap 3',
    );
    expect(text).toContain('*2.* `big when score &gt;= 60` to <#C0BIG> mode claim');
    expect(text.indexOf('*2.*')).toBeLessThan(text.indexOf('*default:*'));
    expect(text).toContain('Away now: nobody.');
  });

  it('stays within Block Kit limits with the most routes there may be, each as long as it may be', async () => {
    const longest = (i: number): Route => ({
      name: `route-${i}-${'x'.repeat(30)}`,
      conditions: Array.from({ length: 10 }, (_, c) => ({ field: `Field ${c}`, op: '=', value: `<b>${'v'.repeat(480)}</b>` })),
      channel: 'C0LONG',
      team: { users: Array.from({ length: 50 }, (_, u) => `U0REP${u}`), groups: [], weights: { U0REP1: 10 } },
      mode: 'round-robin',
      maxOpen: 1000,
      businessHours: true,
    });
    const routes = Array.from({ length: 30 }, (_, i) => longest(i));
    await saveRoutingVersion(app.database.db, { routes, change: 'seeded', createdBy: MANAGER, now: NOW });
    for (let i = 0; i < 40; i++) {
      await setAway(app.database.db, { userId: `U0REP${i}`, awayUntil: null, since: NOW, setBy: MANAGER });
    }
    const reply = await say('routes', 'UREP1');
    expect(blockKitViolations(reply.blocks!)).toEqual([]);
    const text = readable(reply);
    expect(text).toContain('&lt;b&gt;vvv');
    expect(text).toContain('and 20 more.');
    expect(text).toContain('*default:*');
  });

  it('answers an unknown routes subcommand with the ones there are', async () => {
    expect(readable(await say('routes delete emea'))).toBe(
      ':warning: There is no routes subcommand `delete`: `/mql routes` alone lists the routes, or it is followed by `add`, `remove`, `move`, `test`, `history` or `revert` (`/mql help` says what each does).',
    );
  });
});

describe('/mql routes add (managers)', () => {
  it('checks the channel and the team with Slack, saves a version, audits it, and shows the spread of the last 30 days', async () => {
    scriptGroups();
    await storeLeads();
    const reply = await say(EMEA);
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain(':white_check_mark: Route *emea* saved as number 1 of 1 — routing version 1:');
    expect(text).toContain('*1.* `emea when country in "Germany, France"` to <#C0EMEA> team <@U0ANA> <@U0BEN> *2 <!subteam^S0EMEA>');
    expect(text).toContain('leads already handed over keep their route');
    expect(text).toContain('*How the 5 qualified leads of the last 30 days would have been spread*');
    // Four EMEA leads over Ana, Ben (weight 2) and Car from the group; India takes the default route.
    expect(text).toContain('*1. emea*: 4 leads (80%) — <@U0ANA> 1, <@U0BEN> (weight 2) 2, <@U0CAR> 1');
    expect(text).toContain('*default*: 1 lead (20%)');

    expect(app.fakeSlack.callsTo('conversations.info').map((c) => c.args.channel)).toEqual(['C0EMEA']);
    expect(app.fakeSlack.callsTo('users.info').map((c) => c.args.user)).toEqual(['U0ANA', 'U0BEN']);
    const [v1] = await versions();
    expect(v1).toMatchObject({ version: 1, created_by: MANAGER, change: 'add emea as number 1' });
    expect(v1!.routes).toEqual([
      {
        name: 'emea',
        conditions: [{ field: 'country', op: 'in', value: 'Germany, France' }],
        channel: 'C0EMEA',
        team: { users: ['U0ANA', 'U0BEN'], groups: ['S0EMEA'], weights: { U0BEN: 2 } },
        mode: 'round-robin',
        maxOpen: 3,
      },
    ]);
    const audit = await queryRows(
      app.database.db,
      sql`select actor, action, entity_id, to_state from audit_log where action = 'routing.changed'`,
    );
    expect(audit).toEqual([{ actor: MANAGER, action: 'routing.changed', entity_id: '1', to_state: '1' }]);
  });

  it('says so when the spread cannot be worked out after saving, and keeps the route', async () => {
    // The team check finds the group's members; reading them again for the spread fails.
    vi.spyOn(app.t.app.deps.groups, 'members').mockResolvedValueOnce(new Set(['U0CAR']));
    vi.spyOn(app.t.app.deps.groups, 'tryMembers').mockRejectedValueOnce(new Error('connection reset'));
    const text = readable(await say('routes add emea to C0EMEA team <!subteam^S0EMEA|@emea>'));
    expect(text).toContain(':white_check_mark: Route *emea* saved as number 1 of 1 — routing version 1:');
    expect(text).toContain('_How the recent leads would be spread could not be worked out just now; try `/mql routes test`._');
    expect(await count(app.database.db, 'routing_versions')).toBe(1);
  });

  it('says what owner mode does without a team, and warns when an earlier route takes every lead', async () => {
    const owner = readable(await say('routes add known when score >= 10 to C0KNOWN mode owner'));
    expect(owner).toContain('Without a team, a lead whose person or company nobody owns yet is posted for the first click (claim).');
    expect(owner).toContain('_No qualified lead came in or was active in the last 30 days, so there is nothing to spread yet._');
    await say('routes add everything to C0ALL');
    const late = readable(await say('routes add late when country = Chile to C0LATE'));
    expect(late).toContain(
      ':warning: Route `everything` (number 2) has no conditions and takes every lead first, so this route is never reached: `/mql routes move late to 2`.',
    );
  });

  it('refuses anyone but a manager, saying who may, and changes nothing', async () => {
    for (const text of [EMEA, 'routes remove emea', 'routes move emea to 1', 'routes test']) {
      const reply = await say(text, 'UREP1');
      expect(reply.response_type).toBe('ephemeral');
      expect(readable(reply)).toMatch(/^:no_entry: Only managers may use `\/mql routes \w+`: <@UMANAGER>\. Nothing was done\./);
    }
    expect(await count(app.database.db, 'routing_versions')).toBe(0);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
    expect(app.fakeSlack.callsTo('conversations.info')).toHaveLength(0);
  });

  it('answers wrong input with the problem and the usage, asks Slack nothing and changes nothing', async () => {
    const cases: Array<[string, string]> = [
      ['routes add emea when country = Germany to #emea-sales', '`#emea-sales` is a channel name, which Slack did not turn into a channel'],
      ['routes add emea when country = Germany to C0EMEA team @ana', '`@ana` is a name, which Slack did not turn into a mention'],
      ['routes add emea when country = Germany to C0EMEA mode round-robin', '`mode round-robin` needs a team to take turns'],
      ['routes add default to C0EMEA', '`default` is the route every other lead takes; choose another name'],
      [
        'routes add emea when country = Germany to C0EMEA team U0ANA hours',
        '`hours` makes offers wait outside business hours, and no business hours are set (BUSINESS_HOURS)',
      ],
    ];
    for (const [text, message] of cases) {
      const shown = readable(await say(text));
      expect(shown, text).toContain(message);
      expect(shown, text).toContain(ADD_USAGE);
      expect(shown, text).toContain(
        'Example: `/mql routes add emea when country in "Germany, France" to #emea-sales team @ana @ben *2 mode round-robin`',
      );
    }
    await say('routes add emea to C0EMEA');
    expect(readable(await say('routes add EMEA to C0OTHER'))).toContain(
      'a route named `emea` exists already (number 1); choose another name; nothing was changed',
    );
    expect(app.fakeSlack.callsTo('conversations.info')).toHaveLength(1);
    expect(await count(app.database.db, 'routing_versions')).toBe(1);
  });

  it('refuses a channel the bot is not in, cannot see, or could not check, and changes nothing', async () => {
    app.fakeSlack.respond('conversations.info', (args) => {
      if (args.channel === 'C0OUT') return { ok: true, channel: { id: 'C0OUT', name: 'emea-sales', is_member: false } };
      if (args.channel === 'C0GONE') return { ok: false, error: 'channel_not_found' };
      return new HttpResponse('upstream down', { status: 503 });
    });
    expect(readable(await say('routes add emea to <#C0OUT|emea-sales>'))).toBe(
      ':warning: The bot is not in #emea-sales (C0OUT): in Slack, /invite @MQL Handoff there first.\nNothing changed.',
    );
    expect(readable(await say('routes add emea to C0GONE'))).toBe(
      ":warning: The bot cannot see channel C0GONE: check the id (the channel's details, at the bottom); for a private channel, /invite @MQL Handoff there first.\nNothing changed.",
    );
    expect(readable(await say('routes add emea to C0DOWN'))).toBe(
      ':warning: Could not check <#C0DOWN> with Slack just now (HTTP 503); please try again.\nNothing changed.',
    );
    expect(await count(app.database.db, 'routing_versions')).toBe(0);
  });

  it('refuses team members who cannot take leads and user groups it cannot read, naming each', async () => {
    app.fakeSlack.respond('users.info', (args) =>
      args.user === 'U0BOT' ? { ok: true, user: { id: 'U0BOT', is_bot: true, deleted: false } } : undefined,
    );
    const reply = readable(await say('routes add emea to C0EMEA team <@U0ANA|ana> <@U0BOT|bot> <!subteam^S0NOPE|@nope>'));
    expect(reply).toBe(
      [
        ':warning: <@U0BOT> is a bot; choose people for the team.',
        'The user group <!subteam^S0NOPE> has no members I can read: it does not exist, is empty or disabled, or Slack could not be reached.',
        'Nothing changed.',
      ].join('\n'),
    );
    expect(await count(app.database.db, 'routing_versions')).toBe(0);
  });
});

describe('/mql routes remove and move (managers)', () => {
  async function threeRoutes() {
    for (const name of ['emea', 'us', 'apac']) await say(`routes add ${name} when country = ${name} to C0${name.toUpperCase()}`);
  }

  it('removes a route by name, a new version; an unknown name gets "did you mean" and changes nothing', async () => {
    await threeRoutes();
    const removed = readable(await say('routes remove US'));
    expect(removed).toContain(
      ':white_check_mark: Removed this route — routing version 4:\n*2.* `us when country = us` to <#C0US> mode claim',
    );
    expect(removed).toContain('2 routes are left');
    expect(readable(await say('routes remove emae'))).toContain(
      ':warning: there is no route named `emae`; did you mean `emea`? Nothing was changed.\nUse: `/mql routes remove &lt;name&gt;`',
    );
    expect(readable(await say('routes remove default'))).toContain('the default route cannot be removed');
    expect(readable(await say('routes remove'))).toContain('missing the name of the route to remove');
    expect((await versions()).map((v) => v.change)).toEqual([
      'add emea as number 1',
      'add us as number 2',
      'add apac as number 3',
      'remove us (number 2)',
    ]);
  });

  it('moves a route to a position or before another, and explains a position out of range', async () => {
    await threeRoutes();
    const moved = readable(await say('routes move apac to 1'));
    expect(moved).toContain(':white_check_mark: Routing version 4: move apac from 3 to 1. The order now:');
    expect(moved).toMatch(/\*1\.\* `apac[^\n]*\n\*2\.\* `emea[^\n]*\n\*3\.\* `us/);
    expect(readable(await say('routes move us before emea'))).toContain('move us from 3 to 2');
    const cases: Array<[string, string]> = [
      ['routes move apac to 9', 'there are 3 routes: the position is a number from 1 to 3, not 9; nothing was changed'],
      ['routes move apac to first', 'the position is a number (1 is first), not `first`'],
      ['routes move apac', 'say where the route goes: `&lt;name&gt; to &lt;position&gt;` or `&lt;name&gt; before &lt;other route&gt;`'],
      ['routes move apac after us', 'expected `to` or `before` after the name, not `after`'],
      ['routes move apac before nope', 'there is no route named `nope`'],
      ['routes move default to 1', 'the default route is always last'],
    ];
    for (const [text, message] of cases) {
      const shown = readable(await say(text));
      expect(shown, text).toContain(message);
      expect(shown, text).toContain('Use: `/mql routes move &lt;name&gt; to &lt;position&gt; | before &lt;other route&gt;`');
    }
    expect(await count(app.database.db, 'routing_versions')).toBe(5);
  });
});

describe('/mql routes test (managers)', () => {
  it('spreads the qualified leads of the last 30 days over the routes in force, per rep for a team', async () => {
    scriptGroups();
    await storeLeads();
    const before = readable(await say('routes test'));
    expect(before).toContain('*Routes test* — no routes yet');
    expect(before).toContain('*default*: 5 leads (100%)');
    await say(EMEA);
    await say('routes add india when country = India to C0IN team U0DEV mode owner');
    const text = readable(await say('routes test'));
    expect(text).toContain('*Routes test* — routing version 2');
    expect(text).toContain('*1. emea*: 4 leads (80%) — <@U0ANA> 1, <@U0BEN> (weight 2) 2, <@U0CAR> 1');
    expect(text).toContain('*2. india*: 1 lead (20%) — <@U0DEV> 1');
    expect(text).toContain('*default*: 0 leads (0%)');
    expect(text).toContain('Owner routes are shown as their fallback');
    expect(readable(await say('routes test emea'))).toContain('`routes test` tries the routes as they are and takes nothing after it');
  });
});

describe('/mql routes with any text', () => {
  it('never answers 5xx or "failed unexpectedly"', async () => {
    const word = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('add', 'remove', 'move', 'test', 'when', 'and', 'to', 'team', 'mode', 'owner', 'cap', 'hours', 'before', '1', 'x'),
      fc.constantFrom('<#C0X|x>', '<@U0X|x>', '<@U0X>*2', '*2', '<!subteam^S0X>', 'score', '>=', '&gt;', '"', 'emea'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 10 }), async (words) => {
        // ask() fails on any status but 200, and waits for the reply that follows the ack.
        const reply = await say(`routes ${words.join(' ')}`);
        expect(readable(reply)).not.toMatch(/failed unexpectedly/);
      }),
      { numRuns: 80 },
    );
  });
});
