/** Point 13: one escalation per sweep per manager, listing the leads by name with an Assign button each. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { drain, eventually, rows } from '../../harness/handoff.js';
import { runSlaSweep } from '../../src/sla/sweep.js';
import { seedHistory } from './history-seed.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const min = (m: number) => new Date(T0 + m * 60_000);
const app = useTestApp({ env: { DECISION_SLA: '1h', MQL_MANAGERS: 'UMANAGER UBOSS' }, resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

const escalationsTo = (user: string) => fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.args.blocks);

describe('SLA escalations', () => {
  it('sends each manager one message per sweep listing the leads, each escalated once per clock', async () => {
    const ids = [];
    for (const name of ['Ada', 'Bo', 'Cy']) ids.push(await seedHistory(database, { name, company: 'Acme', postedAt: min(0) }));
    await seedHistory(database, {
      name: 'Di',
      postedAt: min(-200),
      steps: [{ action: 'claim', by: 'UREP1', at: min(-90) }],
    });
    await runSlaSweep(t.app.deps, min(30));
    await drain(t, min(30));
    const [toManager] = escalationsTo('UMANAGER');
    expect(escalationsTo('UBOSS')).toHaveLength(1);
    expect(escalationsTo('UMANAGER')).toHaveLength(1);
    expect(toManager!.args.text).toBe('3 leads unclaimed past SLA, 1 lead undecided past SLA');
    const blocks = toManager!.args.blocks as Array<{
      text?: { text: string };
      accessory?: { action_id: string; value: string; text: { text: string } };
    }>;
    expect(blocks.map((b) => b.text?.text.replace(/<https[^|]+\|/g, '<…|'))).toEqual([
      ':rotating_light: *3 leads unclaimed past SLA:*',
      '<…|Ada · Acme> — owner: nobody · unclaimed for 30 min (claim SLA 15 min)',
      '<…|Bo · Acme> — owner: nobody · unclaimed for 30 min (claim SLA 15 min)',
      '<…|Cy · Acme> — owner: nobody · unclaimed for 30 min (claim SLA 15 min)',
      ':rotating_light: *1 lead undecided past SLA:*',
      '<…|Di> — owner: <@UREP1> · undecided for 2 h (decision SLA 1 h) · waited 3 h 50 min in total',
    ]);
    expect(blocks.filter((b) => b.accessory).map((b) => [b.accessory!.text.text, b.accessory!.action_id])).toEqual(
      Array(4).fill(['Assign', 'mql_reassign']),
    );
    expect(blocks[1]!.accessory!.value).toBe(String(ids[0]));
    // Reminders to the rep stay one per lead.
    expect(fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts)).toHaveLength(3);

    // The next sweeps leave them out; a lead newly past twice its SLA comes alone.
    await seedHistory(database, { name: 'Eve', postedAt: min(5) });
    await runSlaSweep(t.app.deps, min(31));
    await drain(t, min(31));
    expect(escalationsTo('UMANAGER')).toHaveLength(1);
    await runSlaSweep(t.app.deps, min(35));
    await drain(t, min(35));
    expect(escalationsTo('UMANAGER').map((c) => c.args.text)).toEqual([
      '3 leads unclaimed past SLA, 1 lead undecided past SLA',
      '1 lead unclaimed past SLA',
    ]);
    expect(await rows(database, "select count(*)::int as n from sla_notices where key not like 'sla.breached:%'")).toEqual([{ n: 5 }]);
    // Each breach is recorded once however many sweeps see it, and counted once in /metrics.
    const breaches = await rows(database, "select count(*)::int as n from sla_notices where key like 'sla.breached:%'");
    const metrics = String((await t.api('/metrics', undefined, { token: null })).body);
    const counted = [...metrics.matchAll(/^mql_sla_breaches_total\{sla="\w+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(counted).toBe(breaches[0]!.n);
    expect(counted).toBeGreaterThan(0);
  });

  it('opens the reassign modal from the Assign button', async () => {
    const id = await seedHistory(database, { name: 'Ada', postedAt: min(0) });
    await runSlaSweep(t.app.deps, min(30));
    await drain(t, min(30));
    const [message] = escalationsTo('UMANAGER');
    const button = (message!.args.blocks as Array<{ accessory?: { action_id: string; value: string } }>)[1]!.accessory!;
    await t.click(button.action_id, button.value, 'UMANAGER');
    const [opened] = await eventually(
      () => fakeSlack.callsTo('views.open'),
      (calls) => calls.length === 1,
    );
    expect(JSON.stringify(opened!.args.view)).toContain(`"private_metadata":"${id}"`);
  });

  it('lists at most 20 leads of a kind and says how many more', async () => {
    for (let i = 0; i < 26; i++) await seedHistory(database, { name: `Lead ${i}`, postedAt: min(-i) });
    await runSlaSweep(t.app.deps, min(30));
    await drain(t, min(30));
    const [message] = escalationsTo('UMANAGER');
    const blocks = message!.args.blocks as Array<{ type: string; elements?: Array<{ text: string }> }>;
    expect(message!.args.text).toBe('26 leads unclaimed past SLA');
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.filter((b) => b.type === 'section')).toHaveLength(21);
    expect(blocks.at(-1)!.elements![0]!.text).toBe('and 6 more: `/mql stalled` lists them all');
  });

  it('reminds whoever holds the lead after a reassign, without saying they claimed it', async () => {
    const id = await seedHistory(database, {
      name: 'Di',
      postedAt: min(-200),
      steps: [
        { action: 'claim', by: 'UREP1', at: min(-150) },
        { action: 'reassign', by: 'UMANAGER', at: min(-60), to: 'UREP2' },
      ],
    });
    await runSlaSweep(t.app.deps, min(0));
    await drain(t, min(0));
    const reminders = fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'UREP2');
    expect(reminders.map((c) => String(c.args.text).replace(/<https[^|]+\|/g, '<…|'))).toEqual([
      ':alarm_clock: You have held *Di* for 1 h without a decision. Please accept or reject it (decision SLA 1 h): <…|the post>',
    ]);
    expect(fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'UREP1')).toEqual([]);
    // It carries the post's buttons, so the rep can decide from the reminder itself.
    const buttons = (reminders[0]!.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements!.map((e) => [e.action_id, e.value]));
    expect(buttons).toEqual([
      ['mql_accept', String(id)],
      ['mql_reject', String(id)],
      ['mql_release', String(id)],
    ]);
    await t.click('mql_accept', String(id), 'UREP2');
    await eventually(
      async () => (await rows(database, `select decision from handoffs where id = ${id}`))[0]!.decision,
      (d) => d === 'accepted',
    );
  });

  it('reminds in the thread with the whole wait when a release restarted the claim clock', async () => {
    await seedHistory(database, {
      name: 'Olga',
      postedAt: min(-75),
      steps: [
        { action: 'claim', by: 'UREP1', at: min(-70) },
        { action: 'release', by: 'UREP1', at: min(-16) },
      ],
    });
    await runSlaSweep(t.app.deps, min(0));
    await drain(t, min(0));
    const replies = fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(replies.map((c) => c.args.text)).toEqual([
      '<!here> This lead has waited 1 h 15 min in total, 16 min since it was released, without an owner (claim SLA 15 min). Who can take it?',
    ]);
  });
});
