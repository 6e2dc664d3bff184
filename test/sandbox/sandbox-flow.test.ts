import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendSignedToSlack } from '../../harness/slack-request.js';
import { buttonsOf as buttons, postsOf as posts, SANDBOX_SALES as SALES, salesOf as sales, useSandbox } from './use-sandbox.js';

/*
 * The handoff loop as people walk it on the sandbox page: every step goes through the page's endpoints,
 * becomes a signed request to the bot's /slack/events, and shows up in the stand-in workspace.
 */

const s = useSandbox();
/** A POST with headers fetch will not set (Host), as another page or a rebound name would send it. */
const rawPost = (path: string, body: string, headers: Record<string, string>) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(`${s.get().base}${path}`);
    const req = request(
      { hostname: url.hostname, port: url.port, path, method: 'POST', headers: { host: url.host, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const [ANA, BEN, MIA, LEE] = ['U0SBANA', 'U0SBBEN', 'U0SBMIA', 'U0SBLEE'];
const ephemeralsOf = (state: Record<string, any>, user: string) =>
  (state.ephemerals as Array<Record<string, any>>).filter((e) => e.user === user);
const { clickOn } = s;

describe('the sandbox walk-through', () => {
  it('loads demo leads: a handful are posted to #sales with their reasons and a Claim button', async () => {
    const loaded = await s.act('demo');
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ ok: true, imported: 300 });
    expect(loaded.body.posted).toBeGreaterThanOrEqual(3);
    const state = await s.until((st) => posts(st).length === loaded.body.posted);
    for (const post of posts(state)) {
      expect(buttons(post)).toEqual(['Claim']);
      expect(JSON.stringify(post.blocks)).toMatch(/Score \*\d+\* · fit -?\d+ · engagement -?\d+ \(qualifies at \d+\)/);
    }
  });

  it('a second load brings the next rows of the file, not the same leads again', async () => {
    const again = await s.act('demo');
    expect(again.body.imported).toBe(300);
    const state = await s.until((st) => posts(st).length >= 6);
    const names = posts(state).map((p) => p.blocks[0].text.text);
    expect(new Set(names).size).toBe(names.length);
  });

  it('rep A claims; rep B is told privately who has it; rep A rejects through the modal', async () => {
    const [post] = posts(await s.state());
    expect((await clickOn(post!, ANA, 'Claim')).body).toEqual({ ok: true });
    await s.until((st) => sales(st).find((m) => m.ts === post!.ts)?.edited === true);
    expect((await clickOn(post!, BEN, 'Claim')).body).toEqual({ ok: true });
    let state = await s.until((st) => ephemeralsOf(st, BEN).length === 1);
    expect(ephemeralsOf(state, BEN)[0]!.text).toBe(`Already claimed by <@${ANA}>.`);
    expect(ephemeralsOf(state, ANA)).toEqual([]);
    const claimed = sales(state).find((m) => m.ts === post!.ts)!;
    expect(buttons(claimed)).toEqual(expect.arrayContaining(['Accept', 'Reject', 'Release']));

    await clickOn(claimed, ANA, 'Reject');
    state = await s.until((st) => st.modals[ANA]?.length === 1);
    const modal = state.modals[ANA][0];
    expect(modal.view.title.text).toBe('Reject lead');
    const empty = await s.act('submit', {
      user: ANA,
      viewId: modal.id,
      values: { reason: { reason: { type: 'static_select', selected_option: null } } },
    });
    expect(empty.body).toEqual({ ok: true, errors: { reason: 'Choose a reason.' } });
    const values = {
      reason: { reason: { type: 'static_select', selected_option: { value: 'no_budget' } } },
      note: { note: { type: 'plain_text_input', value: 'Student project <img src=x onerror=alert(1)>' } },
    };
    expect((await s.act('submit', { user: ANA, viewId: modal.id, values })).body).toEqual({ ok: true });
    state = await s.until((st) => /Rejected by/.test(JSON.stringify(sales(st).find((m) => m.ts === post!.ts)?.blocks)));
    expect(state.modals[ANA]).toEqual([]);
    const rejected = JSON.stringify(sales(state).find((m) => m.ts === post!.ts)!.blocks);
    expect(rejected).toContain('*No budget*');
    expect(rejected).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Her claim DM no longer offers buttons: it says what became of the lead.
    state = await s.until((st) => /Rejected by you/.test(st.messages.D0SBANA[0].text));
    expect(state.messages.D0SBANA[0].text).toMatch(/^Sofia Walsh · Acme Learning: :x: Rejected by you/);
    expect(JSON.stringify(state.messages.D0SBANA[0].blocks)).not.toContain('mql_accept');
  });

  it('commands answer the person who typed them; a marketer-only change is refused for a rep', async () => {
    expect((await s.act('command', { user: MIA, channel: SALES, text: 'criteria test threshold 40' })).body).toEqual({ ok: true });
    expect((await s.act('command', { user: ANA, channel: SALES, text: 'criteria threshold 40' })).body).toEqual({ ok: true });
    const state = await s.until((st) => ephemeralsOf(st, MIA).length === 1 && ephemeralsOf(st, ANA).length === 1);
    expect(ephemeralsOf(state, MIA)[0]!.text).toMatch(/^Backtest: \d+ of 600 stored leads would qualify/);
    // Demo leads come with the outcomes the data set records, so the backtest has something to measure.
    expect(JSON.stringify(ephemeralsOf(state, MIA)[0]!.blocks)).toMatch(/Known outcomes: 6\d\d leads/);
    expect(ephemeralsOf(state, ANA)[0]!.text).toMatch(/Only marketers may use `\/mql criteria threshold`/);
  });

  it('advancing the clock past the claim SLA puts a reminder in the thread of each unclaimed post', async () => {
    const before = await s.state();
    const advanced = await s.act('advance', { minutes: 15 });
    expect(Date.parse(advanced.body.now) - Date.parse(before.clock.now)).toBeGreaterThanOrEqual(15 * 60_000);
    // Posts that qualify meanwhile go out first (posts before reminders), all at a message a second in #sales:
    // count the posts from before, and give them time.
    const earlier = new Set(posts(before).map((p) => p.ts));
    const state = await s.until(
      (st) => posts(st).filter((p) => earlier.has(p.ts) && p.replies.length > 0).length >= earlier.size - 1,
      20_000,
    );
    const reminded = posts(state).filter((p) => p.replies.length > 0);
    expect(reminded[0]!.replies[0].text).toMatch(/^<!here> This lead has waited 15 min( \d+ s)? without an owner/);
    expect(state.clock.offsetMs).toBe(15 * 60_000);
  });

  it('the manager posts the digest to the digest channel', async () => {
    await s.act('command', { user: LEE, channel: SALES, text: 'digest now' });
    const state = await s.until((st) => (st.messages.C0SBDIGEST ?? []).length === 1);
    expect(state.messages.C0SBDIGEST[0].text).toMatch(/^MQL digest/);
  });
});

describe('the sandbox is still Slack to the bot', () => {
  it('refuses a request to /slack/events that is not signed with the app signing secret', async () => {
    const body = new URLSearchParams({
      command: '/mql',
      text: 'digest now',
      user_id: LEE,
      channel_id: SALES,
      response_url: 'http://127.0.0.1:1/x',
    }).toString();
    const res = await sendSignedToSlack(s.get().base, body, 'application/x-www-form-urlencoded', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });

  it('answers the Web API only for the bot token', async () => {
    const res = await fetch(`${s.get().base}/sandbox/api/auth.test`, { method: 'POST', headers: { authorization: 'Bearer xoxb-wrong' } });
    expect(await res.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('refuses page actions with bad input, saying what was wrong, and changes nothing', async () => {
    const before = (await s.state()).version;
    const unknownUser = await s.act('command', { user: 'U0NOBODY', channel: SALES, text: 'help' });
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.body.error).toMatch(/user is not one of the sandbox people/);
    expect((await s.act('advance', { minutes: 0 })).status).toBe(400);
    expect((await s.post('/sandbox/do/command', '{not json')).status).toBe(400);
    expect((await s.act('nope')).status).toBe(404);
    expect((await s.act('submit', { user: ANA, viewId: 'V0GONE', values: {} })).body).toEqual({
      ok: false,
      error: 'that dialog is no longer open',
    });
    expect((await s.state()).version).toBe(before);
  });

  it('takes actions only as JSON from its own page: other sites, rebound host names and forms are refused', async () => {
    const before = (await s.state()).version;
    const body = JSON.stringify({ user: MIA, channel: SALES, text: 'criteria threshold 99' });
    const send = (headers: Record<string, string>) => rawPost('/sandbox/do/command', body, headers);
    expect((await send({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await send({ 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
    expect((await send({ 'content-type': 'application/json', host: 'evil.example' })).status).toBe(403);
    expect((await s.state()).version).toBe(before);
  });

  it('refuses what Slack would never send: a DM of someone else, half an emoji, absurd nesting', async () => {
    const otherDm = await s.act('command', { user: ANA, channel: 'D0SBBEN', text: 'help' });
    expect(otherDm.body.error).toMatch(/channel is another person's DM/);
    const halfEmoji = await s.act('command', { user: ANA, channel: SALES, text: 'score \ud800' });
    expect(halfEmoji.status).toBe(400);
    expect(JSON.stringify(halfEmoji.body)).toMatch(/surrogate/);
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const submitted = await rawPost(
      '/sandbox/do/submit',
      `{"user":"${ANA}","viewId":"V1","values":{"b":{"a":{"type":"x","value":${deep}}}}}`,
      { 'content-type': 'application/json' },
    );
    expect(submitted.status).toBe(400);
    const token = s.get().settings.env.SLACK_BOT_TOKEN!;
    const api = await rawPost('/sandbox/api/chat.postMessage', `{"channel":"${SALES}","text":"x","metadata":${deep}}`, {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    });
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect((await fetch(`${s.get().base}/healthz`)).status).toBe(200);
  });

  it('serves the page and its modules from this server, with nothing fetched from elsewhere', async () => {
    const page = await (await fetch(`${s.get().base}/sandbox`)).text();
    expect(page).toMatch(/<script type="importmap">[^<]*"\/sandbox\/vendor\/preact\.js"/);
    for (const file of ['preact.js', 'hooks.js', 'htm.js']) {
      const res = await fetch(`${s.get().base}/sandbox/vendor/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
    expect((await fetch(`${s.get().base}/sandbox/vendor/constructor`)).status).toBe(404);
    expect((await fetch(`${s.get().base}/sandbox/assets/..%2Fstore.ts`)).status).toBe(404);
    expect(page).not.toMatch(/src="https?:|href="https?:/);
  });
});
