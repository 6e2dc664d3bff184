// Load generator for the claim benchmark, run in its own process so the clients' work doesn't share the
// bot's event loop (Slack's clicks come from elsewhere too). Prints the ack latencies (ms) as JSON.
import { createHmac } from 'node:crypto';

const { url, secret, responseUrl, handoffIds, clicks, pauseMs } = JSON.parse(process.argv[2]);

function signedClick(handoffId, user) {
  const payload = {
    type: 'block_actions',
    user: { id: user, team_id: 'T1' },
    team: { id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: 't',
    response_url: responseUrl,
    container: { type: 'message', channel_id: 'CSALES', message_ts: '1.0' },
    actions: [{ type: 'button', action_id: 'mql_claim', block_id: 'b', value: String(handoffId), action_ts: '1' }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

const latencies = [];
for (const [round, handoffId] of handoffIds.entries()) {
  const requests = Array.from({ length: clicks }, (_, i) => signedClick(handoffId, `UREP${i}`));
  const times = await Promise.all(
    requests.map(async ({ body, headers }) => {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`click answered ${res.status}`);
      return performance.now() - started;
    }),
  );
  if (round > 0) latencies.push(...times); // the first round warms up
  await new Promise((r) => setTimeout(r, pauseMs));
}
process.stdout.write(JSON.stringify(latencies));
