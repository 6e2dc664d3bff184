import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../../harness/bot-process.js';
import { eventually } from '../../harness/handoff.js';

/*
 * `npm ci && npm start` as a user runs it: node on the JavaScript `npm ci` built into dist/, with no Slack
 * settings (sandbox mode). What the build must carry besides code is found by path at run time: the migrations
 * (a healthy /healthz), the sandbox page's files, and the demo data.
 */

const MIA = 'U0SBMIA';
const SALES = 'C0SBSALES';
let bot: BotProcess;

beforeAll(async () => {
  bot = await startBotProcess({ LEAD_API_TOKEN: '0123456789abcdef' }, { compiled: true });
}, 120_000);

afterAll(() => bot?.stop());

const state = async () => (await (await fetch(`${bot.base}/sandbox/state`)).json()) as Record<string, any>;
const act = (action: string, body: Record<string, unknown> = {}) =>
  fetch(`${bot.base}/sandbox/do/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('npm start, compiled', () => {
  it('is healthy with every migration applied', async () => {
    const res = await fetch(`${bot.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', migrations: 'current' });
  });

  it('serves the sandbox page, its scripts and the vendored Preact', async () => {
    const page = await fetch(`${bot.base}/sandbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module"');
    for (const file of ['assets/app.js', 'assets/style.css', 'vendor/preact.js', 'vendor/htm.js']) {
      expect((await fetch(`${bot.base}/sandbox/${file}`)).status, file).toBe(200);
    }
  });

  it('loads the demo leads and posts the qualified ones to #sales', async () => {
    const loaded = await act('demo');
    expect(loaded.status).toBe(200);
    expect(await loaded.json()).toMatchObject({ ok: true, imported: 300 });
    const posted = await eventually(state, (s) => (s.messages[SALES] ?? []).some((m: any) => m.text.startsWith('New MQL')), 30_000);
    expect(posted.messages[SALES][0].text).toMatch(/^New MQL/);
  });

  it('answers a command typed in the sandbox', async () => {
    expect((await act('command', { user: MIA, channel: SALES, text: 'criteria test threshold 40' })).status).toBe(200);
    const answered = await eventually(state, (s) => s.ephemerals.some((e: any) => e.user === MIA), 30_000);
    expect(answered.ephemerals.find((e: any) => e.user === MIA).text).toMatch(/^Backtest: \d+ of \d+ stored leads would qualify/);
  });
});
