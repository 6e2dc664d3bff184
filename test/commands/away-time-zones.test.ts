/** `/mql away` reads times and days in the time zone of the rep the spell is for, as Slack's users.info gives it. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { repAway } from '../../db/schema.js';
import { drain, rows } from '../../harness/handoff.js';
import { slackDate } from '../../src/slack/mrkdwn.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, readable } from './helpers.js';

// Tuesday 1 December 2026, 10:00 UTC: 11:00 in Berlin, 02:00 in Los Angeles, 05:00 in New York.
const NOW = new Date('2026-12-01T10:00:00Z');
// TZ_DIGEST is New York here, so a fallback to it can be told from UTC and from the reps' own zones.
const app = useTestApp({ now: () => NOW, resetBeforeEach: true, env: { TZ_DIGEST: 'America/New_York' } });
const { fakeSlack } = app;

/** Each person's zone in Slack; a person missing here has none set (Slack then sends no `tz`). */
const ZONES: Record<string, string> = { UREP1: 'Europe/Berlin', UANA: 'America/Los_Angeles', UMANAGER: 'Europe/London' };
beforeEach(() =>
  fakeSlack.respond('users.info', (args) => ({ ok: true, user: { id: args.user, is_bot: false, tz: ZONES[String(args.user)] } })),
);

const command = async (text: string, user = 'UREP1') => readable(await ask(app.t, fakeSlack, text, user));
const shown = (iso: string) => slackDate(new Date(iso));
const BACK = 'no leads will be offered to you. `/mql back` when you return.';
const awayUntil = async () => (await app.database.db.select().from(repAway)).map((r) => r.awayUntil);
const lookedUp = () => fakeSlack.callsTo('users.info').map((c) => c.args.user);

describe('/mql away in the rep’s own time zone', () => {
  it('reads a time in the rep’s zone and says which, showing the end as a Slack date', async () => {
    expect(await command('away until 17:00')).toBe(`You're away until ${shown('2026-12-01T16:00:00Z')} (17:00 in Europe/Berlin): ${BACK}`);
    expect(await awayUntil()).toEqual([new Date('2026-12-01T16:00:00Z')]);
    expect(lookedUp()).toEqual(['UREP1']);
    const [audit] = await rows(app.database, `select details from audit_log where action = 'rep.away'`);
    expect(audit!.details).toEqual({ until: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' });
  });

  it('keeps a rep away to the end of the named day in their zone, the instant /mql routes shows too', async () => {
    expect(await command('away until friday')).toBe(
      `You're away until ${shown('2026-12-04T23:00:00Z')} (the end of Fri 4 Dec in Europe/Berlin): ${BACK}`,
    );
    expect(await awayUntil()).toEqual([new Date('2026-12-04T23:00:00Z')]);
    // The same Slack date on every surface, so each reader sees one instant in their own zone.
    expect(await command('routes')).toContain(`<@UREP1> until ${shown('2026-12-04T23:00:00Z')}`);
  });

  it('reads what a manager types in the zone of the rep named, not the manager’s', async () => {
    // 02:00 on Tuesday in Los Angeles: "until 9am" is 09:00 there today, "until friday" the end of Friday there.
    expect(await command('away <@UANA> until 9am', 'UMANAGER')).toBe(
      `<@UANA> is away until ${shown('2026-12-01T17:00:00Z')} (09:00 in America/Los_Angeles); they were told.`,
    );
    expect(await command('away <@UANA> until friday', 'UMANAGER')).toBe(
      `<@UANA> is away until ${shown('2026-12-05T08:00:00Z')} (the end of Fri 4 Dec in America/Los_Angeles); they were told.`,
    );
    expect(lookedUp()).toEqual(['UANA', 'UANA']);
    await drain(app.t, NOW);
    expect(fakeSlack.callsTo('chat.postMessage').map((c) => c.args.text)[1]).toBe(
      `<@UMANAGER> marked you away until ${shown('2026-12-05T08:00:00Z')} (the end of Fri 4 Dec in America/Los_Angeles): ${BACK}`,
    );
  });

  it('needs no zone for a duration or an open-ended spell', async () => {
    expect(await command('away for 2h', 'UNOZONE')).toBe(`You're away until ${shown('2026-12-01T12:00:00Z')}: ${BACK}`);
    expect(await command('away')).toBe(`You're away until you say you're back: ${BACK}`);
    // `/mql away` alone asks Slack nothing.
    expect(lookedUp()).toEqual(['UNOZONE']);
  });
});

describe('/mql away when Slack cannot say the rep’s zone', () => {
  const FALLBACK = "Read in America/New_York, the team's time zone, as Slack did not say yours.";

  it('reads the time in TZ_DIGEST and says so, when the rep has no zone set', async () => {
    expect(await command('away until 17:00', 'UNOZONE')).toBe(
      `You're away until ${shown('2026-12-01T22:00:00Z')} (17:00 in America/New_York): ${BACK} ${FALLBACK}`,
    );
  });

  it('says "theirs" to a manager', async () => {
    expect(await command('away <@UNOZONE> until friday', 'UMANAGER')).toBe(
      `<@UNOZONE> is away until ${shown('2026-12-05T05:00:00Z')} (the end of Fri 4 Dec in America/New_York); they were told. Read in America/New_York, the team's time zone, as Slack did not say theirs.`,
    );
  });

  it('falls back when Slack fails or sends a zone that does not exist, and logs the failure', async () => {
    const warned = vi.spyOn(app.t.app.deps.logger, 'warn');
    fakeSlack.respond('users.info', () => ({ ok: false, error: 'ratelimited' }));
    expect(await command('away until 17:00')).toContain(`(17:00 in America/New_York): ${BACK} ${FALLBACK}`);
    expect(warned.mock.calls.map((c) => c[1])).toContain("could not read a rep's time zone from Slack; using TZ_DIGEST");
    warned.mockRestore();
    fakeSlack.respond('users.info', (args) => ({ ok: true, user: { id: args.user, tz: 'Mars/Olympus_Mons' } }));
    expect(await command('away until 17:00')).toContain(`(17:00 in America/New_York): ${BACK} ${FALLBACK}`);
    expect(await awayUntil()).toEqual([new Date('2026-12-01T22:00:00Z')]);
  });

  it('adds no note to a duration, which means the same in every zone', async () => {
    expect(await command('away for 1h', 'UNOZONE')).toBe(`You're away until ${shown('2026-12-01T11:00:00Z')}: ${BACK}`);
  });
});
