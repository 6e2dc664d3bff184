// The floor the bot's acks and start-up are compared with: a Bolt app and nothing else, on the receiver settings
// the bot uses over HTTP (HTTPReceiver, processBeforeResponse false, the signing secret). It answers the bench's
// signed requests the way the bot does, minus the database: `/mql` acked, then answered through response_url; a
// Claim click acked, every click after a lead's first answered "already claimed"; a reject modal's submission
// acked, a repeat with the error the bot shows. GET /healthz answers 200, GET /claimed lists the claimed leads.
// Plain JavaScript, started with `node`, settings from the env.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const claimedBy = new Map();
const rejected = new Set();
const json = (res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
  processBeforeResponse: false,
  logLevel: LogLevel.WARN,
  customRoutes: [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => json(res, { status: 'ok' }) },
    // Which leads were claimed, as the bench reads the bot's from its API.
    { path: '/claimed', method: ['GET'], handler: (_req, res) => json(res, [...claimedBy.keys()]) },
  ],
});

const app = new App({
  // As the bot: a fixed authorization, so Bolt calls Slack neither at start-up nor per request.
  authorize: async () => ({ botToken: process.env.SLACK_BOT_TOKEN }),
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.command('/mql', async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: '*Scoring criteria* — a lead qualifies at *score ≥ 50*' });
});

app.action('mql_claim', async ({ ack, action, body, respond }) => {
  await ack();
  const holder = claimedBy.get(action.value);
  if (!holder) return void claimedBy.set(action.value, body.user.id);
  const text = holder === body.user.id ? 'You already hold this lead.' : `Already claimed by <@${holder}>.`;
  await respond({ response_type: 'ephemeral', replace_original: false, text });
});

app.view('mql_reject_modal', async ({ ack, view }) => {
  if (!rejected.has(view.private_metadata)) {
    rejected.add(view.private_metadata);
    return void (await ack());
  }
  await ack({ response_action: 'errors', errors: { reason: 'This lead was already rejected; nothing changed.' } });
});

await app.start(Number(process.env.PORT));
process.once('SIGTERM', () => app.stop().then(() => process.exit(0)));
