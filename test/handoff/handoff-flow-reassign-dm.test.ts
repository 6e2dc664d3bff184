import { describe, expect, it } from 'vitest';
import { SALES_CHANNEL } from '../../harness/app.js';
import { homeClickBody } from '../../harness/slack-request.js';
import { drain, eventually, handoffsOf, rows } from '../../harness/handoff.js';
import { at, database, t, useHandoffFlow } from './flow-fixtures.js';

const clock = at(0);
const { fakeSlack, postedLead, claim } = useHandoffFlow(() => clock);

type Blocks = Array<Record<string, any>>;
const buttonsOf = (blocks: Blocks) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.text.text));
const postsTo = (channel: string) => fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
const updatesOf = (channel: string) => fakeSlack.callsTo('chat.update').filter((c) => c.args.channel === channel);

/** A signed button click from the rep's DM with the bot, or from their Home tab (where Slack sends no response_url). */
const clickFrom = (where: 'dm' | 'home', actionId: string, value: string, user: string) =>
  where === 'dm'
    ? t.click(actionId, value, user, `D${user}`)
    : t.slack(homeClickBody(user, actionId, value), 'application/x-www-form-urlencoded');

const reassignTo = (handoffId: string, to: string) =>
  t.submit('mql_reassign_modal', handoffId, { assignee: { assignee: { selected_user: to } } }, 'UMANAGER');

describe('reassign', () => {
  it('tells the new owner who gave it to them, tells the previous owner, and says so on the post', async () => {
    const { handoffId } = await postedLead('re1');
    await claim(handoffId, 'UREP1');
    await drain(t, clock);
    expect((await reassignTo(handoffId, 'UREP3')).body).toBeNull();
    await drain(t, clock);

    const newOwner = postsTo('UREP3');
    expect(newOwner).toHaveLength(1);
    expect(String(newOwner[0]!.args.text)).toMatch(/^Reassigned to you by <@UMANAGER>: Lead re1 · Acme · decide by <!date\^/);
    expect(buttonsOf(newOwner[0]!.args.blocks as Blocks)).toEqual(['Accept', 'Reject', 'Release']);

    const previous = postsTo('UREP1').map((c) => String(c.args.text));
    expect(previous).toContainEqual(
      expect.stringMatching(
        /^<@UMANAGER> reassigned \*Lead re1 · Acme\* \(<https:\/\/slack\.com\/archives\/CSALES\/p\d+\|the post>\) to <@UREP3>; you no longer hold it\.$/,
      ),
    );
    // The previous owner's claim DM no longer offers buttons.
    const oldDm = updatesOf('UREP1').at(-1)!.args;
    expect(oldDm.text).toBe('Lead re1 · Acme: <@UREP3> holds it now; you no longer hold it.');
    expect(buttonsOf(oldDm.blocks as Blocks)).toEqual([]);

    const post = JSON.stringify(updatesOf(SALES_CHANNEL).at(-1)!.args.blocks);
    expect(post).toContain('Reassigned to <@UREP3> by <@UMANAGER>');
    expect(post).toContain('Reassigned from <@UREP1> to <@UREP3> by <@UMANAGER>');
    expect(post).not.toContain('Claimed by <@UREP3>');
    const [history] = await rows(database, `select history from handoffs where id = ${handoffId}`);
    expect(history!.history).toEqual([{ kind: 'reassigned', at: at(0).toISOString(), by: 'UMANAGER', from: 'UREP1', to: 'UREP3' }]);
  });

  it('refuses a bot, a deactivated user and the current owner in the modal, changing nothing', async () => {
    const { lead, handoffId } = await postedLead('re2');
    await claim(handoffId, 'UREP1');
    fakeSlack.respond('users.info', (args) =>
      args.user === 'UGONE' ? { ok: true, user: { id: 'UGONE', is_bot: false, deleted: true } } : undefined,
    );
    expect((await reassignTo(handoffId, 'UBOT')).body).toEqual({
      response_action: 'errors',
      errors: { assignee: '<@UBOT> is a bot; choose a person to own the lead.' },
    });
    expect((await reassignTo(handoffId, 'UGONE')).body).toEqual({
      response_action: 'errors',
      errors: { assignee: '<@UGONE> is deactivated; choose someone who can work the lead.' },
    });
    expect((await reassignTo(handoffId, 'UREP1')).body).toEqual({
      response_action: 'errors',
      errors: { assignee: '<@UREP1> already has this lead.' },
    });
    expect((await handoffsOf(database, lead.id))[0]).toMatchObject({ claimed_by: 'UREP1', history: [] });
    expect(await rows(database, `select action from audit_log where action = 'handoff.reassign'`)).toEqual([]);
  });
});

describe('the claim DM', () => {
  it('its buttons work like the post’s; afterwards the DM shows the outcome and no buttons', async () => {
    const { lead, handoffId } = await postedLead('dm1');
    await claim(handoffId, 'UREP1');
    await drain(t, clock);
    expect(buttonsOf(postsTo('UREP1')[0]!.args.blocks as Blocks)).toEqual(['Accept', 'Reject', 'Release']);

    await clickFrom('dm', 'mql_accept', handoffId, 'UREP1');
    await eventually(
      () => handoffsOf(database, lead.id),
      (h) => h[0]!.decision === 'accepted',
    );
    await drain(t, clock);
    const dm = updatesOf('UREP1').at(-1)!.args;
    expect(buttonsOf(dm.blocks as Blocks)).toEqual([]);
    expect(JSON.stringify(dm.blocks)).toContain('Accepted by you');
    expect(buttonsOf(updatesOf(SALES_CHANNEL).at(-1)!.args.blocks as Blocks)).toEqual([]);

    // A click on a DM that is out of date is refused privately, as on the post.
    fakeSlack.responses.length = 0;
    await clickFrom('dm', 'mql_release', handoffId, 'UREP1');
    expect((await fakeSlack.waitForResponses(1))[0]).toMatchObject({
      response_type: 'ephemeral',
      text: 'This lead was already accepted; nothing changed.',
    });
  });

  it('a refused click from the Home tab (no response_url) is answered by DM, not dropped', async () => {
    const { handoffId } = await postedLead('home1');
    await claim(handoffId, 'UREP1');
    await clickFrom('home', 'mql_accept', handoffId, 'UREP2');
    await eventually(
      async () => {
        await drain(t, clock);
        return postsTo('UREP2');
      },
      (dms) => dms.length === 1,
    );
    expect(postsTo('UREP2')[0]!.args.text).toBe('Only <@UREP1>, who holds this lead, can accept it.');
  });
});
