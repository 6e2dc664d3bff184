import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/use-test-app.js';

/** Signed requests that Bolt would choke on, replays and skewed clocks are refused before Bolt routes them. */

const app = useTestApp();
const form = (fields: Record<string, string>) => [new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded'] as const;
const payload = (value: unknown) => form({ payload: JSON.stringify(value) });
const user = { id: 'UREP1' };

describe('malformed signed payloads', () => {
  const cases: Array<[string, readonly [string, string]]> = [
    ['payload=null', form({ payload: 'null' })],
    ['a JSON body null', ['null', 'application/json']],
    ['payload=[]', form({ payload: '[]' })],
    ['payload=1', form({ payload: '1' })],
    ['payload="s"', form({ payload: '"s"' })],
    ['payload that is not JSON', form({ payload: '{nope' })],
    ['block_actions with actions [{}]', payload({ type: 'block_actions', user, actions: [{}] })],
    ['block_actions with no user', payload({ type: 'block_actions', actions: [{ action_id: 'mql_claim', value: '1' }] })],
    ['view_submission with no view', payload({ type: 'view_submission', user })],
    ['a type Slack does not send us', payload({ type: 'dialog_submission', user })],
    ['a command with no user', form({ command: '/mql', text: 'help', channel_id: 'C1' })],
    [
      'app_home_opened with no user',
      [JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', tab: 'home' } }), 'application/json'],
    ],
  ];
  it.each(cases)('%s is a 400 naming the problem, at once', async (_name, [body, type]) => {
    const res = await app.t.slack(body, type);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual(expect.any(String));
  });

  it('the app still answers afterwards', async () => {
    expect((await app.t.api('/healthz')).status).toBe(200);
  });
});

describe('Events API requests', () => {
  it('answers Slack’s signed URL check with its challenge, as the Event Subscriptions page expects', async () => {
    const res = await app.t.slack(JSON.stringify({ token: 'legacy', challenge: 'chal-123', type: 'url_verification' }), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('chal-123');
  });

  it('takes a signed event callback (JSON) and acknowledges it at once', async () => {
    const event = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev1',
      event: { type: 'app_home_opened', user: 'UREP1', tab: 'messages' },
    };
    const res = await app.t.slack(JSON.stringify(event), 'application/json');
    expect(res.status).toBe(200);
  });
});

describe('timestamps and replays', () => {
  const help = form({ command: '/mql', text: 'help', user_id: 'UREP1', channel_id: 'C1', response_url: 'http://slack.test/response' });

  it('refuses a timestamp more than five minutes away in either direction', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await app.t.slack(...help, { timestamp: now + 400 })).status).toBe(401);
    expect((await app.t.slack(...help, { timestamp: now - 400 })).status).toBe(401);
    expect((await app.t.slack(...help, { timestamp: now + 60 })).status).toBe(200);
  });

  it('takes a signed request once and drops an exact replay, counting it', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 30;
    expect((await app.t.slack(...help, { timestamp })).status).toBe(200);
    expect((await app.t.slack(...help, { timestamp })).status).toBe(401);
    const metrics = (await app.t.api('/metrics')).body as string;
    expect(metrics).toMatch(/mql_slack_requests_refused_total\{reason="replay"\} 1/);
  });
});

describe('paths', () => {
  it.each(['/api/leads/%/events', '/api/leads/%E0%A4%A/events', '/api/leads/%00/events', '/slack/%ZZ'])(
    '%s is a 400, with or without a token',
    async (path) => {
      expect((await app.t.api(`${path}?source=web`, { events: [] })).status).toBe(400);
      expect((await app.t.api(`${path}?source=web`, { events: [] }, { token: null })).status).toBe(400);
    },
  );

  it('an unknown path is a 404', async () => {
    expect((await app.t.api('/nothing/here')).status).toBe(404);
  });
});
