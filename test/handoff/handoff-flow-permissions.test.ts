import { describe, expect, it } from 'vitest';
import { SALES_CHANNEL } from '../../harness/app.js';
import { drain, eventually, handoffsOf, rows } from '../../harness/handoff.js';
import { at, database, t, useHandoffFlow } from './flow-fixtures.js';

const clock = at(0);
const { fakeSlack, postedLead, claim } = useHandoffFlow(() => clock);

describe('who may do what', () => {
  it('refuses accept/reject/release by anyone but the claimer, privately, changing nothing', async () => {
    const { lead, handoffId } = await postedLead('auth');
    await claim(handoffId, 'UREP1');
    fakeSlack.responses.length = 0;
    await t.click('mql_accept', handoffId, 'UREP2');
    await t.click('mql_release', handoffId, 'UREP2');
    await t.click('mql_reject', handoffId, 'UREP2');
    const replies = await fakeSlack.waitForResponses(3);
    expect(replies.map((r) => r.text).sort()).toEqual([
      'Only <@UREP1>, who holds this lead, can accept it.',
      'Only <@UREP1>, who holds this lead, can reject it.',
      'Only <@UREP1>, who holds this lead, or a manager (<@UMANAGER>) can release it.',
    ]);
    expect(fakeSlack.callsTo('views.open')).toHaveLength(0);
    const submitted = await t.submit(
      'mql_reject_modal',
      handoffId,
      { reason: { reason: { selected_option: { value: 'duplicate' } } } },
      'UREP2',
    );
    expect(submitted.body.errors.reason).toBe('Only <@UREP1>, who holds this lead, can reject it.');
    expect((await handoffsOf(database, lead.id))[0]).toMatchObject({ claimed_by: 'UREP1', decision: null });
    expect(await rows(database, `select action from audit_log order by id`)).toEqual([
      { action: 'lead.qualified' },
      { action: 'handoff.claim' },
    ]);
  });

  it("lets a manager release or reassign anyone's lead, and nobody else reassign", async () => {
    const { lead, handoffId } = await postedLead('mgr');
    await claim(handoffId, 'UREP1');
    fakeSlack.responses.length = 0;
    await t.click('mql_reassign', handoffId, 'UREP2');
    expect((await fakeSlack.waitForResponses(1))[0]!.text).toBe(
      'Only managers (<@UMANAGER>) can reassign. You can release a lead you hold.',
    );
    await t.click('mql_reassign', handoffId, 'UMANAGER');
    const [opened] = await eventually(
      () => fakeSlack.callsTo('views.open'),
      (c) => c.length === 1,
    );
    // The modal says whom the lead is taken from.
    expect(JSON.stringify(opened!.args.view)).toMatch(/\* is held by <@UREP1>\./);
    const res = await t.submit('mql_reassign_modal', handoffId, { assignee: { assignee: { selected_user: 'UREP3' } } }, 'UMANAGER');
    expect(res.body).toBeNull();
    expect((await handoffsOf(database, lead.id))[0]!.claimed_by).toBe('UREP3');
    await t.click('mql_release', handoffId, 'UMANAGER');
    await eventually(
      () => handoffsOf(database, lead.id),
      (h) => h[0]!.claimed_by === null,
    );
    expect(
      (await rows(database, `select action, actor from audit_log where entity = 'handoff' order by id`)).map(
        (r) => `${r.action}:${r.actor}`,
      ),
    ).toEqual(['handoff.claim:UREP1', 'handoff.reassign:UMANAGER', 'handoff.release:UMANAGER']);
  });

  it('answers a click on a stale post with the current state and refreshes the post', async () => {
    const { handoffId } = await postedLead('stale');
    await claim(handoffId, 'UREP1');
    await t.click('mql_accept', handoffId, 'UREP1');
    await eventually(
      () => rows(database, 'select decision from handoffs'),
      (r) => r[0]!.decision === 'accepted',
    );
    await drain(t, clock);
    const postUpdates = () => fakeSlack.callsTo('chat.update').filter((c) => c.args.channel === SALES_CHANNEL);
    const updatesBefore = postUpdates().length;
    fakeSlack.responses.length = 0;
    await t.click('mql_claim', handoffId, 'UREP2');
    await t.click('mql_claim', handoffId, 'UREP3');
    const replies = await fakeSlack.waitForResponses(2);
    expect(replies.map((r) => r.text)).toEqual([
      'This lead was already accepted; nothing changed.',
      'This lead was already accepted; nothing changed.',
    ]);
    await drain(t, clock);
    // Two stale clicks on the same state queue one refresh.
    expect(postUpdates()).toHaveLength(updatesBefore + 1);
  });
});
