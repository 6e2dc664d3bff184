/** The funnel in Slack: `/mql funnel` for marketers and managers, and in `/mql stats` and the digest. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, readable } from '../commands/helpers.js';
import { seedFunnelHistory } from './seed-funnel.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const app = useTestApp({ now: () => NOW });
const { fakeSlack } = app;
beforeAll(() => seedFunnelHistory(app.database, NOW));

const V5 = '• *v5*: 3 MQLs → 1 SQL (33%) → 1 opp (100%) → 0 won (0%) · 0% overall · median 2 d to opp';
const V4 = '• *v4*: 1 MQL → 1 SQL (100%) → 1 opp (100%) → 1 won (100%) · 100% overall · median 2 h to SQL, 5 d to opp, 10 d to won';

describe('/mql funnel', () => {
  it('shows a marketer the funnel of the last 30 days by criteria version', async () => {
    const reply = await ask(app.t, fakeSlack, 'funnel', 'UMARKETER');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('Funnel, last 30 days: 4 MQLs → 2 SQL → 2 opportunities → 1 won.');
    const text = readable(reply);
    expect(text).toContain(
      '*Funnel, last 30 days, by criteria version*\n*All*: 4 MQLs → 2 SQL (50%) → 2 opp (100%) → 1 won (50%) · 25% overall',
    );
    expect(text).toContain(`${V5}\n${V4}`);
    expect(JSON.stringify(reply.blocks)).toContain('followed to today');
  });

  it('groups by rep, source or route for a manager, over the days asked for', async () => {
    const byRep = readable(await ask(app.t, fakeSlack, 'funnel 60 by rep', 'UMANAGER'));
    expect(byRep).toContain('*Funnel, last 60 days, by rep*\n*All*: 5 MQLs');
    expect(byRep).toContain('• *nobody*: 2 MQLs');
    expect(byRep).toContain('• *<@UCY>*: 1 MQL → 1 SQL (100%) → 0 opp (0%)');
    expect(readable(await ask(app.t, fakeSlack, 'funnel by source', 'UMANAGER'))).toContain('• *ads*: 1 MQL');
    expect(readable(await ask(app.t, fakeSlack, 'funnel by route', 'UMANAGER'))).toContain('• *emea*: 1 MQL');
    expect(readable(await ask(app.t, fakeSlack, 'funnel 1', 'UMANAGER'))).toContain(
      '*Funnel, last 24 hours, by criteria version*\n*All*: 1 MQL',
    );
  });

  it('refuses reps, naming the marketers and managers, and explains a bad form', async () => {
    const refused = await ask(app.t, fakeSlack, 'funnel', 'UREP1');
    expect(refused.text).toBe(':no_entry: Only marketers and managers may use `/mql funnel`: <@UMARKETER>, <@UMANAGER>. Nothing was done.');
    for (const bad of ['funnel 0', 'funnel 367', 'funnel by colour', 'funnel 7 version', 'funnel 7 by rep extra']) {
      const reply = await ask(app.t, fakeSlack, bad, 'UMARKETER');
      expect(reply.text).toContain('`/mql funnel [days] [by version|source|rep|route]`');
    }
  });

  it('is listed by /mql help', async () => {
    expect(readable(await ask(app.t, fakeSlack, 'help'))).toContain('`/mql funnel 30 by version` — MQL → SQL → opportunity → won');
  });
});

describe('/mql stats and the digest', () => {
  it('/mql stats shows the funnel of its period by criteria version', async () => {
    const text = readable(await ask(app.t, fakeSlack, 'stats 30', 'UMANAGER'));
    expect(text).toContain(`*Funnel, last 30 days, by criteria version*\n*All*: 4 MQLs`);
    expect(text).toContain(V4);
    expect(readable(await ask(app.t, fakeSlack, 'stats 7', 'UMANAGER'))).toContain(
      '*Funnel, last 7 days, by criteria version*\n*All*: 2 MQLs → 0 SQL (0%) → 0 opp (—) → 0 won (—) · 0% overall',
    );
    const bySource = readable(await ask(app.t, fakeSlack, 'stats 30 by source', 'UMANAGER'));
    expect(bySource).toContain('*Funnel, last 30 days, by source*\n*All*: 4 MQLs');
    expect(bySource).toContain('• *ads*: 1 MQL');
  });

  it('the digest ends with the funnel of the last 30 days in one section', async () => {
    const preview = await ask(app.t, fakeSlack, 'digest preview', 'UMANAGER');
    const last = preview.blocks!.at(-1)!;
    expect(last.type).toBe('section');
    expect(last.text!.text).toBe(
      `*Funnel, MQLs of the last 30 days, by criteria version*\n*All*: 4 MQLs → 2 SQL (50%) → 2 opp (100%) → 1 won (50%) · 25% overall · median 2 h to SQL, 2 d to opp, 10 d to won\n${V5}\n${V4}`,
    );
  });
});
