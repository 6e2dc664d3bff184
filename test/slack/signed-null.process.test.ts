import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../../harness/bot-process.js';
import { sendSignedToSlack } from '../../harness/slack-request.js';

/*
 * The bot as its own process (as `npm start` runs it, with Slack settings): a signed `payload=null`, which
 * once threw inside Bolt's receiver and ended the process, is answered with a 400 and the bot keeps serving.
 */

const SECRET = 'process-test-signing-secret';
let bot: BotProcess;

beforeAll(async () => {
  bot = await startBotProcess({
    SLACK_BOT_TOKEN: 'xoxb-process-test',
    SLACK_SIGNING_SECRET: SECRET,
    // Slack is nowhere: a closed local port, so nothing leaves this machine.
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    SLACK_SALES_CHANNEL: 'C0SALES',
    LEAD_API_TOKEN: 'process-test-lead-api-token',
  });
}, 120_000);

afterAll(() => bot?.stop());

it('answers a signed payload=null with a 400 and keeps serving', async () => {
  const res = await sendSignedToSlack(bot.base, 'payload=null', 'application/x-www-form-urlencoded', { secret: SECRET });
  expect(res.status).toBe(400);
  await new Promise((r) => setTimeout(r, 200));
  expect(bot.child.exitCode).toBeNull();
  expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
});
