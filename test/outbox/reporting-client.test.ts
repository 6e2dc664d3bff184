import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SLACK_API } from '../../harness/app.js';
import type { PacedCall } from '../../src/outbox/pacing.js';
import { reportingCalls } from '../../src/outbox/reporting-client.js';
import { createFakeSlack } from '../helpers/fake-slack.js';

const fakeSlack = createFakeSlack();
beforeAll(() => fakeSlack.listen());
afterAll(() => fakeSlack.close());

describe('the client a sender is given while pacing', () => {
  it('reports each Web API method called, with its channel, and answers as the client does', async () => {
    const reported: PacedCall[] = [];
    const slack = reportingCalls(new WebClient('xoxb-test', { slackApiUrl: FAKE_SLACK_API, retryConfig: { retries: 0 } }), (call) =>
      reported.push(call),
    );

    const posted = await slack.chat.postMessage({ channel: 'C1', text: 'hello' });
    await slack.chat.update({ channel: 'D1', ts: String(posted.ts), text: 'hello again' });
    await slack.auth.test();

    expect(posted).toMatchObject({ ok: true, channel: 'C1' });
    expect(reported).toEqual([
      { method: 'chat.postMessage', channel: 'C1' },
      { method: 'chat.update', channel: 'D1' },
      { method: 'auth.test', channel: undefined },
    ]);
    expect(fakeSlack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'auth.test']);
  });
});
