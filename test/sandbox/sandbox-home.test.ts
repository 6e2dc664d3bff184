import { describe, expect, it } from 'vitest';
import { buttonsOf as buttons, postsOf as posts, salesOf as sales, useSandbox } from './use-sandbox.js';

/*
 * The bot's Home tab on the sandbox page: opening it becomes a signed `app_home_opened` event, the bot
 * publishes the view to the stand-in Web API, and a button in it becomes a click from a view (no response_url).
 */

const s = useSandbox();
const [ANA, BEN, MIA] = ['U0SBANA', 'U0SBBEN', 'U0SBMIA'];
const { clickOn } = s;

describe('the Home tab', () => {
  const homeOf = (state: Record<string, any>, user: string) => (state.homes?.[user]?.blocks ?? []) as Array<Record<string, any>>;
  /** The blocks under a header of a Home, up to the next header. */
  const part = (blocks: Array<Record<string, any>>, title: string) => {
    const start = blocks.findIndex((b) => b.type === 'header' && b.text.text === title);
    const end = blocks.findIndex((b, i) => i > start && b.type === 'header');
    return start < 0 ? [] : blocks.slice(start + 1, end < 0 ? undefined : end);
  };

  it('starts with demo leads posted to #sales', async () => {
    const loaded = await s.act('demo');
    await s.until((st) => posts(st).length === loaded.body.posted);
  });

  it('Ana opens Home, sees the lead she holds with its deadline, accepts it there, and it leaves "My leads"', async () => {
    const post = posts(await s.state()).find((p) => buttons(p).includes('Claim'))!;
    const name = post.blocks[0].text.text as string;
    await clickOn(post, ANA, 'Claim');
    await s.until((st) => buttons(sales(st).find((m) => m.ts === post.ts)!).includes('Accept'));

    expect((await s.act('home', { user: ANA })).body).toEqual({ ok: true });
    let state = await s.until((st) => JSON.stringify(part(homeOf(st, ANA), 'My leads')).includes(name));
    const mine = part(homeOf(state, ANA), 'My leads');
    const entry = mine.findIndex((b) => b.type === 'section' && String(b.text.text).includes(name));
    expect(mine[entry]!.text.text).toMatch(/\nDecide by <!date\^\d+\^/);
    const actions = mine[entry + 1]!;
    const accept = actions.elements.find((e: any) => e.text.text === 'Accept');
    expect(actions.elements.map((e: any) => e.text.text)).toEqual(['Accept', 'Reject', 'Release']);

    const clicked = await s.act('homeClick', { user: ANA, actionId: accept.action_id, blockId: actions.block_id, value: accept.value });
    expect(clicked.body).toEqual({ ok: true });
    state = await s.until((st) => !JSON.stringify(part(homeOf(st, ANA), 'My leads')).includes(name));
    // The post is updated through the outbox, so it may follow the Home by a moment.
    state = await s.until((st) => /Accepted/.test(JSON.stringify(sales(st).find((m) => m.ts === post.ts)!.blocks)));
    expect(JSON.stringify(sales(state).find((m) => m.ts === post.ts)!.blocks)).toMatch(/Accepted by <@U0SBANA>/);
  });

  it('each person has their own Home: the marketer’s shows the criteria, a rep’s does not', async () => {
    await s.act('home', { user: MIA });
    const state = await s.until((st) => homeOf(st, MIA).length > 0);
    expect(JSON.stringify(homeOf(state, MIA))).toMatch(/\*Version \d+\* · qualifies at total &gt;= \d+ · \d+ rules · engagement points/);
    expect(JSON.stringify(homeOf(state, ANA))).not.toContain('Scoring criteria');
  });

  it('refuses a Home click before the Home was opened, and a Home for someone who is not in the sandbox', async () => {
    expect((await s.act('homeClick', { user: BEN, actionId: 'mql_claim', blockId: 'b', value: '1' })).body).toEqual({
      ok: false,
      error: 'this Home has not been published yet',
    });
    const nobody = await s.act('home', { user: 'U0NOBODY' });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error).toMatch(/user is not one of the sandbox people/);
  });
});
