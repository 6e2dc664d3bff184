import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { SALES_CHANNEL } from '../../harness/app.js';
import { drain, eventually, qualifyLead } from '../../harness/handoff.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { callLabel } from '../../src/slack/client.js';

const app = useTestApp({ resetBeforeEach: true });
const { fakeSlack } = app;

const counted = async (method: string, result: string) => {
  const scraped = (await app.t.api('/metrics')).body as string;
  const line = scraped.split('\n').find((l) => l.startsWith(`mql_slack_api_calls_total{method="${method}",result="${result}"} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe('Slack API calls in /metrics', () => {
  it('counts each call by method and what Slack answered: ok, its error, an HTTP status, or no answer', async () => {
    const before = { ok: await counted('auth.test', 'ok'), missing: await counted('conversations.info', 'channel_not_found') };
    fakeSlack.respond('conversations.info', () => ({ ok: false, error: 'channel_not_found' }));
    await app.t.app.checkSlack();
    expect(await counted('auth.test', 'ok')).toBe(before.ok + 1);
    expect(await counted('conversations.info', 'channel_not_found')).toBeGreaterThan(before.missing);

    fakeSlack.respond('auth.test', () => new HttpResponse('upstream broke', { status: 503 }));
    await app.t.app.checkSlack();
    expect(await counted('auth.test', 'http_503')).toBe(1);

    fakeSlack.respond('auth.test', () => HttpResponse.error());
    await app.t.app.checkSlack();
    expect(await counted('auth.test', 'request_error')).toBe(1);
  });

  it("counts the calls listeners make with Bolt's client too", async () => {
    await qualifyLead(app.t, 'lead-1');
    await drain(app.t, new Date());
    await app.t.click('mql_reassign', '1', 'UMANAGER', SALES_CHANNEL);
    await eventually(
      () => fakeSlack.callsTo('views.open').length,
      (n) => n === 1,
    );
    await eventually(
      () => counted('views.open', 'ok'),
      (n) => n === 1,
    );
  });

  it('counts answers through a response URL under one label, never its secret path', async () => {
    const before = await counted('response_url', 'ok');
    await app.t.command('criteria', 'UMARKETER');
    await fakeSlack.waitForResponses(1);
    await eventually(
      () => counted('response_url', 'ok'),
      (n) => n === before + 1,
    );
    const scraped = (await app.t.api('/metrics')).body as string;
    expect(scraped).not.toContain('method="response"');
    expect(callLabel('https://hooks.slack.com/commands/T1/123/SeCrEt', 'https://slack.com/api/')).toBe('response_url');
    expect(callLabel('https://slack.com/api/chat.postMessage', 'https://slack.com/api/')).toBe('chat.postMessage');
    expect(callLabel('https://slack.com/api/../x/SeCrEt?a=1', 'https://slack.com/api/')).toBe('other');
  });
});
