/** `/mql away` and `/mql back`, as signed slash commands through the real app. */
import { beforeEach, describe, expect, it } from 'vitest';
import { offers, repAway } from '../../db/schema.js';
import { drain, rows } from '../../harness/handoff.js';
import { slackDate } from '../../src/slack/mrkdwn.js';
import { seedHandoff } from '../helpers/seed.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, count, readable } from './helpers.js';

// Tuesday 1 December 2026, 10:00 UTC. Everyone here is in UTC in Slack; away-time-zones.test.ts has other zones.
const NOW = new Date('2026-12-01T10:00:00Z');
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
const { fakeSlack } = app;
beforeEach(() => fakeSlack.respond('users.info', (args) => ({ ok: true, user: { id: args.user, tz: 'UTC', is_bot: false } })));
/** The end as replies show it: a Slack date, which each reader sees in their own time zone. */
const shown = (iso: string) => slackDate(new Date(iso));

const command = async (text: string, user = 'UREP1') => readable(await ask(app.t, fakeSlack, text, user));
const awayRows = async () =>
  (await app.database.db.select().from(repAway).orderBy(repAway.userId)).map((r) => ({
    user_id: r.userId,
    away_until: r.awayUntil,
    since: r.since,
    set_by: r.setBy,
  }));
const audit = () => rows(app.database, `select actor, action, entity, entity_id, from_state, to_state, details from audit_log order by id`);

/** The DMs the outbox sends now, as `user: text`. */
async function sentDms(): Promise<string[]> {
  await drain(app.t, NOW);
  return fakeSlack.callsTo('chat.postMessage').map((c) => `${c.args.channel}: ${c.args.text}`);
}

describe('/mql away for oneself', () => {
  it('marks the caller away through a named day, audited, with no DM', async () => {
    const reply = await ask(app.t, fakeSlack, 'away until friday');
    expect(reply.response_type).toBe('ephemeral');
    expect(readable(reply)).toBe(
      `You're away until ${shown('2026-12-05T00:00:00Z')} (the end of Fri 4 Dec in UTC): no leads will be offered to you. \`/mql back\` when you return.`,
    );
    expect(await awayRows()).toEqual([{ user_id: 'UREP1', away_until: new Date('2026-12-05T00:00:00Z'), since: NOW, set_by: 'UREP1' }]);
    expect(await audit()).toEqual([
      {
        actor: 'UREP1',
        action: 'rep.away',
        entity: 'rep',
        entity_id: 'UREP1',
        from_state: 'available',
        to_state: 'away',
        details: { until: '2026-12-05T00:00:00.000Z', timeZone: 'UTC' },
      },
    ]);
    expect(await sentDms()).toEqual([]);
  });

  it('reads a time, a duration, or nothing (until they are back)', async () => {
    expect(await command('away until 18:00')).toBe(
      `You're away until ${shown('2026-12-01T18:00:00Z')} (18:00 in UTC): no leads will be offered to you. \`/mql back\` when you return.`,
    );
    expect(await command('away for 3d')).toBe(
      `You're away until ${shown('2026-12-04T10:00:00Z')}: no leads will be offered to you. \`/mql back\` when you return.`,
    );
    expect(await command('away')).toBe(
      "You're away until you say you're back: no leads will be offered to you. `/mql back` when you return.",
    );
    // One spell per rep: the last one replaces the others.
    expect(await awayRows()).toMatchObject([{ user_id: 'UREP1', away_until: null }]);
    const [, second, third] = await audit();
    expect(second).toMatchObject({
      from_state: 'away',
      details: { until: '2026-12-04T10:00:00.000Z', previousUntil: '2026-12-01T18:00:00.000Z' },
    });
    expect(third).toMatchObject({ details: { until: null, previousUntil: '2026-12-04T10:00:00.000Z' } });
  });

  it('refuses what it cannot read, and changes nothing', async () => {
    expect(await command('away until soonish')).toBe(
      [
        ':warning: `soonish` is not a time, date, day or duration the bot knows; write `until 17:30`, `until 5pm`, `until 2026-12-24`, `until friday`, `for 2h` or `3d`',
        'Use: `/mql away [@rep] [until &lt;time, date or day&gt; | for &lt;duration&gt;]`',
        'Example: `/mql away until friday`',
      ].join('\n'),
    );
    expect(await command('away until 2026-11-30')).toContain(':warning: 2026-11-30 is already over; name a day to come');
    expect(await command('away 400d')).toContain('is more than 365 days away');
    expect(await command('away for 0m')).toContain(':warning: `0m` is no time at all: the duration must be more than zero');
    expect(await command('away <@UANA> <@UBEN>', 'UMANAGER')).toContain(':warning: name one rep at a time');
    // Slack would show the markup of a channel or group mention as typed inside a code span: it is named in words.
    expect(await command('away <#CSALES>', 'UMANAGER')).toContain(':warning: A channel is not a person; name one rep with an @-mention');
    expect(await command('away <!subteam^SREPS>', 'UMANAGER')).toContain(':warning: A user group is not a person;');
    expect(await command('away <!here>', 'UMANAGER')).toContain(':warning: `@here` is not a person;');
    expect(await command('away @ana', 'UMANAGER')).toContain('`@ana` is not a mention Slack recognised');
    expect(await awayRows()).toEqual([]);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
  });

  it("withdraws the caller's open offers, so the leads go to the next rep", async () => {
    const handoffId = await seedHandoff(app.database, { name: 'Offered', postedAt: new Date(NOW.getTime() - 60_000) });
    await app.database.db.insert(offers).values({
      handoffId,
      userId: 'UREP1',
      routeName: 'emea',
      reason: 'round-robin',
      offeredAt: new Date(NOW.getTime() - 60_000),
      expiresAt: new Date(NOW.getTime() + 240_000),
    });
    expect(await command('away')).toBe(
      "You're away until you say you're back: no leads will be offered to you. `/mql back` when you return. The lead offered to you goes to the next rep.",
    );
    expect(await rows(app.database, 'select user_id, status from offers')).toEqual([{ user_id: 'UREP1', status: 'withdrawn' }]);
    expect((await audit()).map((a) => `${a.actor} ${a.action}`)).toEqual(['UREP1 rep.away', 'UREP1 offer.withdrawn']);
  });
});

describe('/mql away for another rep', () => {
  it('lets a manager set a rep away, and tells the rep by DM', async () => {
    expect(await command('away <@UANA|ana> until 2026-12-24', 'UMANAGER')).toBe(
      `<@UANA> is away until ${shown('2026-12-25T00:00:00Z')} (the end of Thu 24 Dec in UTC); they were told.`,
    );
    expect(await awayRows()).toEqual([{ user_id: 'UANA', away_until: new Date('2026-12-25T00:00:00Z'), since: NOW, set_by: 'UMANAGER' }]);
    expect(await audit()).toMatchObject([{ actor: 'UMANAGER', action: 'rep.away', entity_id: 'UANA' }]);
    expect(await sentDms()).toEqual([
      `UANA: <@UMANAGER> marked you away until ${shown('2026-12-25T00:00:00Z')} (the end of Thu 24 Dec in UTC): no leads will be offered to you. \`/mql back\` when you return.`,
    ]);
  });

  it('takes the mention anywhere, and says when the spell is open-ended', async () => {
    expect(await command('away for 2h <@UANA>', 'UMANAGER')).toBe(
      `<@UANA> is away until ${shown('2026-12-01T12:00:00Z')}; they were told.`,
    );
    expect(await command('away <@UANA>', 'UMANAGER')).toBe('<@UANA> is away until they are back; they were told.');
    expect(await sentDms()).toHaveLength(2);
  });

  it('refuses anyone else, naming the managers, and changes nothing', async () => {
    expect(await command('away <@UANA> until friday', 'UREP1')).toBe(
      ':no_entry: Only managers may set someone else away: <@UMANAGER>. Nothing was done.',
    );
    expect(await awayRows()).toEqual([]);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
    expect(await sentDms()).toEqual([]);
  });

  it('lets anyone name themselves', async () => {
    expect(await command('away <@UREP1> for 1h')).toBe(
      `You're away until ${shown('2026-12-01T11:00:00Z')}: no leads will be offered to you. \`/mql back\` when you return.`,
    );
  });
});

describe('/mql back', () => {
  it('ends the caller’s spell, audited', async () => {
    await command('away until friday');
    expect(await command('back')).toBe('Welcome back: leads will be offered to you again.');
    expect(await awayRows()).toEqual([]);
    expect((await audit())[1]).toEqual({
      actor: 'UREP1',
      action: 'rep.back',
      entity: 'rep',
      entity_id: 'UREP1',
      from_state: 'away',
      to_state: 'available',
      details: { until: '2026-12-05T00:00:00.000Z', since: NOW.toISOString() },
    });
  });

  it('says so when the caller was not away, and records nothing', async () => {
    expect(await command('back')).toBe("You weren't away: leads are offered to you as usual.");
    expect(await count(app.database.db, 'audit_log')).toBe(0);
  });

  it('treats a spell that already ran out as over: nothing to end', async () => {
    await rows(
      app.database,
      `insert into rep_away (user_id, away_until, since, set_by) values ('UREP1', '2026-12-01T09:00:00Z', '2026-11-30T09:00:00Z', 'UREP1')`,
    );
    expect(await command('back')).toBe("You weren't away: leads are offered to you as usual.");
    expect(await awayRows()).toEqual([]);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
  });

  it('lets a manager bring a rep back, and tells the rep', async () => {
    await command('away <@UANA>', 'UMANAGER');
    expect(await command('back <@UANA>', 'UMANAGER')).toBe('<@UANA> is back: leads will be offered to them again; they were told.');
    expect(await awayRows()).toEqual([]);
    expect((await sentDms())[1]).toBe('UANA: <@UMANAGER> marked you back: leads will be offered to you again.');
    expect(await command('back <@UANA>', 'UMANAGER')).toBe('<@UANA> was not away: nothing changed.');
  });

  it('refuses others for non-managers, and words after it', async () => {
    await command('away <@UANA>', 'UMANAGER');
    expect(await command('back <@UANA>', 'UREP1')).toBe(
      ':no_entry: Only managers may mark someone else back: <@UMANAGER>. Nothing was done.',
    );
    expect(await command('back tomorrow')).toContain(':warning: `/mql back` takes no time or words, only an optional @rep');
    expect(await awayRows()).toMatchObject([{ user_id: 'UANA' }]);
  });
});

describe('/mql help', () => {
  it('lists away and back', async () => {
    const help = await command('help');
    expect(help).toContain('`/mql away until friday` — stop leads being offered to you');
    expect(help).toContain('`/mql back` — end an away spell');
  });
});
