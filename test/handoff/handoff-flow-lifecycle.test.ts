import { beforeEach, describe, expect, it } from 'vitest';
import { SALES_CHANNEL } from '../../harness/app.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { drain, eventually, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { at, database, t, useHandoffFlow } from './flow-fixtures.js';

let clock = at(0);
const { fakeSlack, postedLead, claim } = useHandoffFlow(() => clock);
beforeEach(() => {
  clock = at(0);
});

const buttonsOf = (blocks: Array<Record<string, any>>) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: { text: { text: string } }) => e.text.text));
const textOf = (blocks: Array<Record<string, any>>) => JSON.stringify(blocks);
/** The last update of the post (the claim DMs are updated too, in the DM). */
const lastUpdate = () =>
  fakeSlack
    .callsTo('chat.update')
    .filter((c) => c.args.channel === SALES_CHANNEL)
    .at(-1)!.args;

describe('posting an MQL', () => {
  it('posts a qualified lead once: name, role, plain reasons, key fields, deadline, a Claim button, within Block Kit limits', async () => {
    const lead = await qualifyLead(t, 'p1', {
      title: 'Director of IT',
      country: 'Canada',
      attributes: { 'What is your current occupation': 'Working Professional', Phone: '+1 555 0100', crm_url: 'https://crm.example/l/p1' },
    });
    expect(lead.queuedForSales).toBe(true);
    await drain(t, clock);
    await drain(t, at(1));
    const posts = fakeSlack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const { channel, blocks, text } = posts[0]!.args as { channel: string; blocks: Array<Record<string, any>>; text: string };
    expect(channel).toBe(SALES_CHANNEL);
    expect(text).toBe('New MQL: Lead p1, Director of IT at Acme · score 75 (qualifies at 30) · claim within 15 min');
    expect(blockKitViolations(blocks)).toEqual([]);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Lead p1' } });
    expect(blocks[1]).toMatchObject({ type: 'section', text: { text: '*Director of IT at Acme*' } });
    expect(blocks[2]).toMatchObject({
      type: 'section',
      text: {
        text: '• Submitted a form · <!date^1795424400^{date_short_pretty} {time}|2026-11-23 09:00 UTC>\n• Working professional\n• Director · Director of IT',
      },
    });
    expect(blocks[3]!.fields.map((f: { text: string }) => f.text)).toEqual([
      '*Phone*\n+1 555 0100',
      '*Country*\nCanada',
      '*CRM URL*\n<https://crm.example/l/p1|Open in CRM>',
    ]);
    expect(textOf(blocks)).not.toMatch(/What is your current occupation|>=|events\./);
    expect(textOf(blocks)).toContain('Score *75* · fit 45 · engagement 30 (qualifies at 30)');
    expect(textOf(blocks)).toContain(
      ':hourglass_flowing_sand: Posted <!date^1795428000^{date_short_pretty} {time}|2026-11-23 10:00 UTC> · Claim by <!date^1795428900^{date_short_pretty} {time}|2026-11-23 10:15 UTC>',
    );
    expect(buttonsOf(blocks)).toEqual(['Claim']);
    const [handoff] = await handoffsOf(database, lead.id);
    expect(handoff).toMatchObject({ channel: SALES_CHANNEL, message_ts: expect.any(String) });
  });

  it('escapes and truncates odd values so Slack never rejects the post', async () => {
    await qualifyLead(t, 'odd', {
      name: `<!channel> & <@U1> 🎉 ${'x'.repeat(200)}`,
      title: `${'Director '.repeat(55)}`,
      company: `${'&<>'.repeat(160)}`,
      attributes: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a${i}`, 'v'])),
    });
    await drain(t, clock);
    const { blocks, text } = fakeSlack.callsTo('chat.postMessage')[0]!.args as { blocks: Array<Record<string, any>>; text: string };
    expect(blockKitViolations(blocks)).toEqual([]);
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U1&gt;');
    // mrkdwn would turn `<!channel>` into a mention; plain_text (the header) shows it as typed.
    const mrkdwnTexts = JSON.stringify(blocks).match(/"type":"mrkdwn","text":"[^"]*"/g) ?? [];
    expect(mrkdwnTexts.length).toBeGreaterThan(3);
    expect(mrkdwnTexts.filter((m) => /<!(?!date\^)|<@/.test(m))).toEqual([]);
  });
});

describe('claiming', () => {
  it('lets exactly one of 50 simultaneous clicks win; the others hear who did', async () => {
    const { lead, handoffId } = await postedLead('race');
    const reps = Array.from({ length: 50 }, (_, i) => `UREP${i}`);
    clock = at(3);
    const answers = await Promise.all(reps.map((rep) => t.click('mql_claim', handoffId, rep)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const replies = await fakeSlack.waitForResponses(49);
    const [handoff] = await handoffsOf(database, lead.id);
    const winner = handoff!.claimed_by as string;
    expect(reps).toContain(winner);
    expect(replies.every((r) => r.text === `Already claimed by <@${winner}>.` && r.response_type === 'ephemeral')).toBe(true);
    expect(await rows(database, `select actor from audit_log where action = 'handoff.claim'`)).toEqual([{ actor: winner }]);
    expect((await rows(database, `select stage from leads`))[0]!.stage).toBe('claimed');

    await drain(t, at(3));
    const update = lastUpdate() as { blocks: Array<Record<string, any>>; ts: string };
    expect(textOf(update.blocks)).toContain(`Claimed by <@${winner}> · 3 min after posting`);
    expect(buttonsOf(update.blocks)).toEqual(['Accept', 'Reject', 'Release', 'Reassign']);
    const dms = fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === winner);
    expect(dms).toHaveLength(1);
    expect(String(dms[0]!.args.text)).toBe(
      'You own Lead race · Acme · decide by <!date^1795514580^{date_short_pretty} {time}|2026-11-24 10:03 UTC>',
    );
    expect(buttonsOf(dms[0]!.args.blocks as never)).toEqual(['Accept', 'Reject', 'Release']);
  });
});

describe('deciding', () => {
  it('accepts: the lead becomes an SQL and the post shows who and how long it took', async () => {
    const { lead, handoffId } = await postedLead('acc');
    await claim(handoffId, 'UREP1');
    clock = at(90);
    await t.click('mql_accept', handoffId, 'UREP1');
    await eventually(
      () => rows(database, `select stage from leads`),
      (r) => r[0]!.stage === 'accepted',
    );
    const [handoff] = await handoffsOf(database, lead.id);
    expect(handoff).toMatchObject({ decision: 'accepted', decided_by: 'UREP1' });
    await drain(t, clock);
    expect(textOf(lastUpdate().blocks as never)).toContain('Accepted by <@UREP1>, 1 h 30 min after claiming');
    expect(buttonsOf(lastUpdate().blocks as never)).toEqual([]);
  });

  it('rejects through the modal: a reason is required, a note too for "other"; the lead goes to nurture', async () => {
    const { lead, handoffId } = await postedLead('rej');
    await claim(handoffId, 'UREP1');
    await t.click('mql_reject', handoffId, 'UREP1');
    const opened = await eventually(
      () => fakeSlack.callsTo('views.open'),
      (c) => c.length === 1,
    );
    const view = opened[0]!.args.view as { callback_id: string; private_metadata: string };
    expect(view).toMatchObject({ callback_id: 'mql_reject_modal', private_metadata: handoffId });

    const noReason = await t.submit(
      'mql_reject_modal',
      handoffId,
      { reason: { reason: { selected_option: null } }, note: { note: { value: null } } },
      'UREP1',
    );
    expect(noReason.body).toEqual({ response_action: 'errors', errors: { reason: 'Choose a reason.' } });
    const otherWithoutNote = await t.submit(
      'mql_reject_modal',
      handoffId,
      { reason: { reason: { selected_option: { value: 'other' } } }, note: { note: { value: '  ' } } },
      'UREP1',
    );
    expect(otherWithoutNote.body).toEqual({ response_action: 'errors', errors: { note: 'Add a note when the reason is "Other".' } });
    expect((await handoffsOf(database, lead.id))[0]!.decision).toBeNull();

    const ok = await t.submit(
      'mql_reject_modal',
      handoffId,
      { reason: { reason: { selected_option: { value: 'no_budget' } } }, note: { note: { value: 'Next fiscal year <maybe>' } } },
      'UREP1',
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toBeNull();
    const [handoff] = await handoffsOf(database, lead.id);
    expect(handoff).toMatchObject({
      decision: 'rejected',
      reason_code: 'no_budget',
      note: 'Next fiscal year <maybe>',
      decided_by: 'UREP1',
    });
    expect((await rows(database, 'select stage from leads'))[0]!.stage).toBe('nurture');
    await drain(t, clock);
    expect(textOf(lastUpdate().blocks as never)).toContain('Rejected by <@UREP1>');
    expect(textOf(lastUpdate().blocks as never)).toContain('*No budget* — “Next fiscal year &lt;maybe&gt;”');
  });

  it('releases back to the channel with a Claim button, and records it', async () => {
    const { handoffId } = await postedLead('rel');
    clock = at(10);
    await claim(handoffId, 'UREP1');
    clock = at(70);
    await t.click('mql_release', handoffId, 'UREP1');
    await eventually(
      () => rows(database, `select claimed_by from handoffs`),
      (r) => r[0]!.claimed_by === null,
    );
    expect((await rows(database, 'select stage from leads'))[0]!.stage).toBe('mql');
    expect(await rows(database, `select actor, from_state, to_state from audit_log where action = 'handoff.release'`)).toEqual([
      { actor: 'UREP1', from_state: 'claimed', to_state: 'unclaimed' },
    ]);
    clock = at(200);
    await drain(t, clock);
    expect(buttonsOf(lastUpdate().blocks as never)).toEqual(['Claim']);
    // The release is kept on the post; the wait counts from the first post, the claim clock from the release.
    expect(textOf(lastUpdate().blocks as never)).toContain('Released by <@UREP1> after 1 h');
    expect(textOf(lastUpdate().blocks as never)).toContain(
      'Waiting since <!date^1795428000^{date_short_pretty} {time}|2026-11-23 10:00 UTC> · back in the channel since <!date^1795432200^{date_short_pretty} {time}|2026-11-23 11:10 UTC>, so the claim clock restarted · Claim by <!date^1795433100^{date_short_pretty} {time}|2026-11-23 11:25 UTC>',
    );
  });
});

describe('re-qualification', () => {
  it('posts qualification #2 exactly once after a rejected lead shows new activity, linking the first outcome', async () => {
    const { lead, handoffId } = await postedLead('again');
    await claim(handoffId, 'UREP1');
    await t.submit('mql_reject_modal', handoffId, { reason: { reason: { selected_option: { value: 'no_timing' } } } }, 'UREP1');
    // The same activity again is no new activity: nothing happens.
    expect((await qualifyLead(t, 'again')).queuedForSales).toBe(false);
    const renewed = await qualifyLead(t, 'again', { events: [{ type: 'webinar_attended', occurredAt: '2026-11-23T09:30:00Z' }] });
    expect(renewed).toMatchObject({ stage: 'mql', queuedForSales: true });
    expect(
      (await qualifyLead(t, 'again', { events: [{ type: 'webinar_attended', occurredAt: '2026-11-23T09:30:00Z' }] })).queuedForSales,
    ).toBe(false);
    fakeSlack.reset();
    await drain(t, clock);
    await drain(t, at(5));
    const posts = fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === SALES_CHANNEL);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.text).toBe('Re-qualified MQL: Lead again at Acme · score 45 (qualifies at 30) · claim within 15 min');
    expect(textOf(posts[0]!.args.blocks as never)).toContain(':recycle: Re-qualified. Previously rejected by <@UREP1>: No timing');
    expect(textOf(posts[0]!.args.blocks as never)).toContain('qualification #2');
    expect((await handoffsOf(database, lead.id)).map((h) => h.qualification)).toEqual([1, 2]);
  });
});
