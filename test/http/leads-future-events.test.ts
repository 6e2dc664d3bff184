import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { rows } from '../../harness/handoff.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';

/** The app's clock (deps.now), far from the machine's: the check must use it, not Date.now(). */
const NOW = new Date('2030-06-01T12:00:00Z');
const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
let t: TestApp;
let database: TestDatabase;
beforeAll(() => {
  ({ t, database } = app);
});

const count = async (table: string) => (await rows(database, `select count(*)::int as n from ${table}`))[0]!.n;

describe('events dated in the future (issue 12, point 4)', () => {
  it('refuses a batch with an event 3 h ahead with a 400 naming the field, and stores nothing of it', async () => {
    const res = await t.api('/api/leads', {
      leads: [
        { source: 'web', externalId: 'ok', events: [{ type: 'form_submit', occurredAt: inMinutes(-60) }] },
        {
          source: 'web',
          externalId: 'future',
          events: [
            { type: 'page_view', occurredAt: inMinutes(-1) },
            { type: 'form_submit', occurredAt: inMinutes(180) },
          ],
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid lead data; nothing was written',
      fields: [
        {
          path: 'leads.1.events.1.occurredAt',
          message: 'is 3 h in the future (now 2030-06-01T12:00:00Z); up to 5 min of clock skew is allowed',
        },
      ],
    });
    expect(await count('leads')).toBe(0);
    expect(await count('lead_events')).toBe(0);
  });

  it('refuses a future event on the events endpoint too, and accepts up to 5 minutes of clock skew', async () => {
    expect((await t.api('/api/leads', { source: 'web', externalId: 'a' })).status).toBe(200);
    const ahead = await t.api('/api/leads/a/events?source=web', { events: [{ type: 'email_click', occurredAt: inMinutes(65) }] });
    expect(ahead).toMatchObject({
      status: 400,
      body: { fields: [{ path: 'events.0.occurredAt', message: expect.stringMatching(/^is 1 h 5 min in the future \(now /) }] },
    });
    const single = await t.api('/api/leads', {
      source: 'web',
      externalId: 'b',
      events: [{ type: 'form_submit', occurredAt: inMinutes(6) }],
    });
    expect(single.body.fields).toEqual([{ path: 'events.0.occurredAt', message: expect.stringContaining('is 6 min in the future') }]);
    expect(await count('lead_events')).toBe(0);

    const skewed = await t.api('/api/leads/a/events?source=web', { events: [{ type: 'email_click', occurredAt: inMinutes(5) }] });
    expect(skewed.status).toBe(200);
    expect(await count('lead_events')).toBe(1);
  });

  it("keeps the lead's last activity at its newest event's time, not when the request came in", async () => {
    const res = await t.api('/api/leads', {
      source: 'web',
      externalId: 'c',
      events: [
        { type: 'form_submit', occurredAt: inMinutes(-120) },
        { type: 'page_view', occurredAt: inMinutes(-180) },
      ],
    });
    expect(res.status).toBe(200);
    const lastActivity = async () =>
      (await rows(database, `select last_activity_at from leads where external_id = 'c'`))[0]!.last_activity_at;
    expect(new Date(await lastActivity()).toISOString()).toBe(inMinutes(-120));
    // An older event, or a change of fields alone, does not make the lead look fresher.
    await t.api('/api/leads/c/events?source=web', { events: [{ type: 'email_click', occurredAt: inMinutes(-300) }] });
    await t.api('/api/leads', { source: 'web', externalId: 'c', title: 'CTO' });
    expect(new Date(await lastActivity()).toISOString()).toBe(inMinutes(-120));
  });
});
