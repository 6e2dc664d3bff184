// Load generator for the ack benchmark, in its own process so the clients' work doesn't share the app's event
// loop (Slack's requests come from elsewhere too). `clients` connections each send Slack-signed requests of one
// kind back to back, every one unique (Slack never sends the same request twice), for `warmupMs` and then
// `measureMs`; only requests started after the warm-up are timed. Prints what it saw as JSON, counting the acks
// that carry `busyText` (the app saying it was too busy to do it).
import { createHmac } from 'node:crypto';

const {
  url,
  secret,
  responseUrl,
  kind,
  clients,
  warmupMs,
  measureMs,
  targets = [],
  clicksPerLead = 1,
  busyText,
} = JSON.parse(process.argv[2]);

const form = (fields) => new URLSearchParams(fields).toString();
const interaction = (payload) => form({ payload: JSON.stringify(payload) });
const who = (user) => ({ user: { id: user, team_id: 'T1' }, team: { id: 'T1' }, api_app_id: 'A1', token: 'legacy' });

/** The body of client `client`'s `n`-th request, and the target (lead) it is about. */
const REQUESTS = {
  command: (client, n) => ({
    body: form({
      token: 'legacy',
      team_id: 'T1',
      channel_id: 'CSALES',
      user_id: `U${client}`,
      command: '/mql',
      text: 'criteria',
      api_app_id: 'A1',
      response_url: responseUrl,
      trigger_id: `command-${client}-${n}`,
    }),
  }),
  // `clicksPerLead` clients click each lead at once, then all move on to the next leads: a rush on every post.
  click: (client, n) => {
    const { handoffId } = targets[Math.floor((n * clients + client) / clicksPerLead) % targets.length];
    const payload = {
      type: 'block_actions',
      ...who(`UREP${client}`),
      trigger_id: `click-${client}-${n}`,
      response_url: responseUrl,
      container: { type: 'message', channel_id: 'CSALES', message_ts: '1.0' },
      actions: [
        {
          type: 'button',
          action_id: 'mql_claim',
          block_id: 'b',
          value: String(handoffId),
          action_ts: `${Date.now() / 1000}.${client}-${n}`,
        },
      ],
    };
    return { body: interaction(payload), target: handoffId };
  },
  // Each submission rejects another claimed lead as the rep who holds it; past the last, leads come round again.
  modal: (client, n) => {
    const { handoffId, userId } = targets[(n * clients + client) % targets.length];
    const payload = {
      type: 'view_submission',
      ...who(userId),
      trigger_id: `modal-${client}-${n}`,
      view: {
        id: `V${client}-${n}`,
        type: 'modal',
        callback_id: 'mql_reject_modal',
        private_metadata: String(handoffId),
        blocks: [
          { type: 'input', block_id: 'reason' },
          { type: 'input', block_id: 'note' },
        ],
        state: {
          values: {
            reason: {
              reason: { type: 'static_select', selected_option: { value: 'not_a_fit', text: { type: 'plain_text', text: 'Not a fit' } } },
            },
            note: { note: { type: 'plain_text_input', value: null } },
          },
        },
      },
      response_urls: [],
    };
    return { body: interaction(payload), target: handoffId };
  },
};

function signed(body) {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  };
}

const seen = { latencies: [], sent: 0, failed: 0, slow: 0, busy: 0, perTarget: {} };
const begun = performance.now();
const measureFrom = begun + warmupMs;
const end = measureFrom + measureMs;

async function client(index) {
  for (let n = 0; performance.now() < end; n++) {
    const { body, target } = REQUESTS[kind](index, n);
    const started = performance.now();
    let ok = false;
    try {
      const res = await fetch(url, { method: 'POST', headers: signed(body), body });
      const text = await res.text();
      ok = res.status === 200;
      if (busyText && text.includes(busyText)) seen.busy++;
    } catch {
      // A refused or reset connection is a failed ack, like a non-200.
    }
    const ms = performance.now() - started;
    seen.sent++;
    if (!ok) seen.failed++;
    else if (ms > 3000) seen.slow++;
    // The leads that requests reached: a request refused outright reached none.
    if (ok && target !== undefined) seen.perTarget[target] = (seen.perTarget[target] ?? 0) + 1;
    if (started >= measureFrom) seen.latencies.push(ms);
  }
}

await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
process.stdout.write(JSON.stringify(seen));
