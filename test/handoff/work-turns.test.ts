import { afterEach, describe, expect, it } from 'vitest';
import { drain, eventually, handoffsOf, rows } from '../../harness/handoff.js';
import { BUSY_MESSAGE } from '../../src/slack/work-queue.js';
import { at, database, t, useHandoffFlow } from './flow-fixtures.js';

const clock = at(0);
const { fakeSlack, postedLead, claim } = useHandoffFlow(() => clock);

/** Other requests' work, holding every place in the queue until `release()`; `waiting` more pieces queue behind it. */
function busyWith(waiting: number) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const work = t.app.deps.work;
  const pieces: Promise<unknown>[] = [];
  for (let i = 0; work.startsAtOnce(); i++) pieces.push(work.run(`UOTHER${i}`, () => gate));
  for (let i = 0; i < waiting; i++) pieces.push(work.run(`UWAIT${i % 50}`, async () => {}));
  return {
    async release() {
      release();
      await Promise.all(pieces);
    },
  };
}

let busy: { release(): Promise<void> } | undefined;
afterEach(async () => {
  await busy?.release();
  busy = undefined;
});

const metric = async (name: string) => {
  const text = (await t.api('/metrics', undefined, { token: null })).body as string;
  return text.split('\n').filter((line) => line.startsWith(name));
};

/** UREP1 holds a posted lead; while others' work waits, `user` submits the reject modal, which closes at once. */
async function rejectWhileOthersWait(name: string, user: string) {
  const posted = await postedLead(name);
  await claim(posted.handoffId, 'UREP1');
  busy = busyWith(3);
  const submitted = await t.submit(
    'mql_reject_modal',
    posted.handoffId,
    { reason: { reason: { selected_option: { value: 'duplicate' } } } },
    user,
  );
  // Acked without waiting for the queue: the modal closes.
  expect(submitted.body).toBeNull();
  return posted;
}

describe('work after acks takes its turn', () => {
  it('while others wait, a reject closes the modal at once and a refusal found in its turn comes by DM', async () => {
    const { lead } = await rejectWhileOthersWait('late', 'UREP2');
    await busy!.release();
    busy = undefined;
    const dm = await eventually(
      async () => {
        await drain(t, clock);
        return fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'UREP2');
      },
      (calls) => calls.length === 1,
    );
    expect(dm[0]!.args.text).toBe(':warning: Rejecting the lead did not go through: Only <@UREP1>, who holds this lead, can reject it.');
    expect((await handoffsOf(database, lead.id))[0]).toMatchObject({ claimed_by: 'UREP1', decision: null });
  });

  it('while others wait, an allowed reject is recorded in its turn', async () => {
    const { lead } = await rejectWhileOthersWait('late-ok', 'UREP1');
    expect((await handoffsOf(database, lead.id))[0]!.decision).toBeNull();
    await busy!.release();
    busy = undefined;
    await eventually(
      () => handoffsOf(database, lead.id),
      (h) => h[0]!.decision === 'rejected',
    );
  });

  it("while others wait, Reject opens its modal at once saying so, and fills it in the check's turn: the form, or why not", async () => {
    const { handoffId } = await postedLead('modal-late');
    await claim(handoffId, 'UREP1');
    fakeSlack.responses.length = 0;
    busy = busyWith(3);
    await t.click('mql_reject', handoffId, 'UREP1');
    await t.click('mql_reject', handoffId, 'UREP2');
    // Both opened while the trigger was fresh, before the check ran.
    const opened = await eventually(
      () => fakeSlack.callsTo('views.open'),
      (calls) => calls.length === 2,
    );
    for (const call of opened) expect(JSON.stringify(call.args.view)).toContain('The bot is busy; checking the lead takes a few seconds');
    expect(fakeSlack.callsTo('views.update')).toHaveLength(0);
    await busy.release();
    busy = undefined;
    const updates = await eventually(
      () => fakeSlack.callsTo('views.update'),
      (calls) => calls.length === 2,
    );
    const views = updates.map((u) => JSON.stringify(u.args.view));
    expect(views.filter((v) => v.includes('mql_reject_modal'))).toHaveLength(1);
    expect(views.filter((v) => v.includes('Only <@UREP1>, who holds this lead, can reject it.'))).toHaveLength(1);
    expect(fakeSlack.responses).toHaveLength(0);
  });

  it('when too much work waits, a click, a command and a submission are told to try again, and nothing changes', async () => {
    const { lead, handoffId } = await postedLead('full');
    fakeSlack.responses.length = 0;
    busy = busyWith(1_000);
    expect(t.app.deps.work.full()).toBe(true);

    await t.click('mql_claim', handoffId, 'UREP2');
    expect((await fakeSlack.waitForResponses(1))[0]!.text).toBe(BUSY_MESSAGE);
    const command = await t.command('criteria', 'UMARKETER');
    expect(command.body.text).toBe(BUSY_MESSAGE);
    const submitted = await t.submit(
      'mql_reject_modal',
      handoffId,
      { reason: { reason: { selected_option: { value: 'duplicate' } } } },
      'UREP1',
    );
    expect(submitted.body).toEqual({ response_action: 'errors', errors: { reason: BUSY_MESSAGE } });

    expect((await handoffsOf(database, lead.id))[0]).toMatchObject({ claimed_by: null, decision: null });
    expect(await metric('mql_work_refused_total')).toEqual(
      expect.arrayContaining([
        'mql_work_refused_total{kind="action"} 1',
        'mql_work_refused_total{kind="command"} 1',
        'mql_work_refused_total{kind="submission"} 1',
      ]),
    );
    await busy.release();
    busy = undefined;
    // Once the queue drains, the same click works.
    await t.click('mql_claim', handoffId, 'UREP2');
    await eventually(
      () => handoffsOf(database, lead.id),
      (h) => h[0]!.claimed_by === 'UREP2',
    );
    expect(await rows(database, `select action from audit_log order by id`)).toEqual([
      { action: 'lead.qualified' },
      { action: 'handoff.claim' },
    ]);
  });

  it('counts every ack in the latency histogram by kind', async () => {
    const count = async (kind: string) =>
      Number((await metric('mql_slack_ack_latency_seconds_count')).find((line) => line.includes(`kind="${kind}"`))?.split(' ')[1] ?? 0);
    const { handoffId } = await postedLead('metric');
    const [commands, actions] = [await count('command'), await count('action')];
    await t.command('help', 'UREP1');
    await claim(handoffId, 'UREP1');
    expect(await count('command')).toBe(commands + 1);
    expect(await count('action')).toBe(actions + 1);
  });
});
