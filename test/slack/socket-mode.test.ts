import { describe, expect, it } from 'vitest';
import { captureLogs, clickPayload, commandFields, SALES_CHANNEL, testConfig } from '../../harness/app.js';
import { drain, eventually, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { createApp } from '../../src/app.js';
import { useFakeSocketMode } from '../helpers/fake-socket-mode.js';
import { useTestApp } from '../helpers/use-test-app.js';

/*
 * The app with SLACK_APP_TOKEN set, driven as Slack drives it in Socket Mode: it asks the (fake) Web API for a
 * WebSocket URL, Slack's side greets it, sends commands and clicks as envelopes and reads the acks. The tests
 * run in order, as one connection's life: commands, a claim, a refresh, malformed envelopes.
 */

const SLACK_APP_TOKEN = 'xapp-1-A1-socket-mode-test';
const now = new Date('2026-11-23T10:00:00Z');
const logs = captureLogs('warn');
const socketMode = useFakeSocketMode();
const app = useTestApp({ env: { SLACK_APP_TOKEN }, now: () => now, logger: logs.logger });
const { fakeSlack } = app;
/** The token of each apps.connections.open call, in order. */
const opened: Array<string | undefined> = [];
fakeSlack.respond('apps.connections.open', (_args, { token }) => {
  opened.push(token);
  return { ok: true, url: socketMode.url() };
});

const claimedBy = async (handoffId: string) =>
  (await rows(app.database, `select claimed_by from handoffs where id = ${handoffId}`))[0]?.claimed_by;
const metricValue = async (pattern: RegExp) => {
  const metrics = await fetch(`${app.t.baseUrl}/metrics`).then((r) => r.text());
  return Number(pattern.exec(metrics)?.[1] ?? 0);
};
const refusedCount = () => metricValue(/mql_slack_requests_refused_total\{reason="malformed"\} (\d+)/);
const ackedCount = (kind: string) => metricValue(new RegExp(`mql_slack_ack_latency_seconds_count\\{kind="${kind}"\\} (\\d+)`));

describe('Socket Mode', () => {
  it('connects with the app-level token through the configured Slack API, and serves the HTTP API on its own port', async () => {
    expect(opened).toEqual([SLACK_APP_TOKEN]);
    expect(fakeSlack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(socketMode.connections).toHaveLength(1);
    expect((await app.t.api('/healthz')).status).toBe(200);
    expect((await app.t.api('/metrics')).status).toBe(200);
    expect((await qualifyLead(app.t, 'api-in-socket-mode')).queuedForSales).toBe(true);
    // The request URLs are unused: a request there is told why, and Bolt never sees it.
    const overHttp = await app.t.command('help');
    expect(overHttp).toMatchObject({ status: 404, body: { error: expect.stringContaining('Socket Mode') } });
    // The same hardened server as without Socket Mode: a broken path is answered, not left hanging.
    expect((await fetch(`${app.t.baseUrl}/healthz%`)).status).toBe(400);
  });

  it('acks /mql help by its envelope id, with the help as the ack payload, and times the ack', async () => {
    const acked = await ackedCount('command');
    const id = socketMode.send('slash_commands', commandFields('help'));
    const ack = await socketMode.ackOf(id);
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('*`/mql` commands*') });
    expect(await ackedCount('command')).toBe(acked + 1);
  });

  it('acks /mql criteria at once, then answers through its response_url', async () => {
    fakeSlack.responses.length = 0;
    const id = socketMode.send('slash_commands', commandFields('criteria'));
    expect((await socketMode.ackOf(id)).payload).toEqual({});
    const [reply] = await fakeSlack.waitForResponses(1);
    expect(reply).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('qualifying at total >= 30') });
  });

  it('acks a Claim click, records the claim and shows it on the post', async () => {
    const lead = await qualifyLead(app.t, 'claimed-over-socket');
    await drain(app.t, now);
    const handoffId = String((await handoffsOf(app.database, lead.id))[0]!.id);
    const id = socketMode.send('interactive', clickPayload('mql_claim', handoffId, 'UREP1'));
    expect((await socketMode.ackOf(id)).payload).toEqual({});
    await eventually(
      () => claimedBy(handoffId),
      (user) => user === 'UREP1',
    );
    await drain(app.t, now);
    const update = fakeSlack.callsTo('chat.update').filter((c) => c.args.channel === SALES_CHANNEL);
    expect(JSON.stringify(update.at(-1)?.args.blocks)).toContain('Claimed by <@UREP1>');
  });

  it('reconnects when Slack asks it to refresh, and handles envelopes on the new connection', async () => {
    socketMode.requestRefresh();
    // The client waits a few seconds before it reconnects.
    await eventually(
      () => socketMode.connections.length,
      (count) => count === 2,
      20_000,
    );
    expect(opened).toEqual([SLACK_APP_TOKEN, SLACK_APP_TOKEN]);
    const [handoff] = await rows(app.database, `select id from handoffs where claimed_by = 'UREP1'`);
    fakeSlack.responses.length = 0;
    const id = socketMode.send('interactive', clickPayload('mql_claim', String(handoff!.id), 'UREP2'));
    await socketMode.ackOf(id);
    const [reply] = await fakeSlack.waitForResponses(1);
    expect(reply).toMatchObject({ text: 'Already claimed by <@UREP1>.', response_type: 'ephemeral' });
  });

  it('refuses malformed envelopes without acking them, and goes on serving on the same connection', async () => {
    const refusedBefore = await refusedCount();
    logs.lines.length = 0;
    socketMode.sendRaw('null');
    socketMode.sendRaw('{"type":');
    socketMode.sendRaw(JSON.stringify({ type: 'events_api', envelope_id: 'no-payload' }));
    // The client emits any envelope type as an event on itself; these would drive its own connection handling.
    socketMode.sendRaw(JSON.stringify({ type: 'ws_message', envelope_id: 'loop', payload: {} }));
    socketMode.sendRaw(JSON.stringify({ type: 'close', envelope_id: 'close', payload: {} }));
    const refused = [
      socketMode.send('interactive', { ...clickPayload('mql_claim', '1', 'UREP3'), actions: [{}] }),
      socketMode.send('slash_commands', { command: '/mql', text: 'help' }),
      socketMode.send('interactive', commandFields('help')),
    ];
    const fine = socketMode.send('slash_commands', commandFields('help'));
    expect((await socketMode.ackOf(fine)).payload).toMatchObject({ response_type: 'ephemeral' });
    expect(socketMode.acks.filter((a) => [...refused, 'no-payload', 'loop', 'close'].includes(a.envelope_id))).toEqual([]);
    const warnings = logs.lines.filter((l) => l.msg === 'refused a Socket Mode envelope');
    expect(warnings.map((w) => w.problem)).toEqual([
      'the envelope is not an object',
      'the message is not JSON',
      'the payload is not an object',
      'envelopes of type "ws_message" are not handled',
      'envelopes of type "close" are not handled',
      expect.stringContaining('actions.0.action_id'),
      expect.stringContaining('user_id'),
      'a interactive envelope does not carry this kind of payload',
    ]);
    expect((await refusedCount()) - refusedBefore).toBe(8);
    expect(socketMode.connections).toHaveLength(2);
    expect(opened).toHaveLength(2);
    expect((await app.t.api('/healthz')).status).toBe(200);
  });

  it('does not start when Slack refuses the app-level token, and says which setting to fix', async () => {
    fakeSlack.respond('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
    const refusedApp = await createApp({ config: testConfig({ SLACK_APP_TOKEN }), database: app.database, logger: logs.logger });
    await expect(refusedApp.start(0)).rejects.toThrow(/invalid_auth.*SLACK_APP_TOKEN must be an app-level token with connections:write/);
    await refusedApp.stop();
  });
});
