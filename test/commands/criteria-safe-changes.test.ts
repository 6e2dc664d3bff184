import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { CONFIRM_ACTIONS } from '../../commands/criteria-change.js';
import { loadConfig } from '../../src/config.js';
import { BASE, problems } from '../config-fixtures.js';
import { ask, count, readable, type SlackReply } from './helpers.js';
import { MARKETER, MARKETER2, useCriteriaApp } from './criteria-fixtures.js';

const { app, storeLeads } = useCriteriaApp();

async function versions() {
  return queryRows<{ version: number; threshold: number; created_by: string; change: string }>(
    app.database.db,
    sql`select version, threshold, created_by, change from criteria_versions order by version`,
  );
}

type Button = { action_id: string; value: string; text: { text: string } };

/** The buttons of a reply, by their label. */
function buttonsOf(reply: SlackReply): Record<string, Button> {
  const blocks = (reply.blocks ?? []) as Array<{ type: string; elements?: Button[] }>;
  const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  return Object.fromEntries(buttons.map((b) => [b.text.text, b]));
}

/** A signed click on a button of the preview; returns what the app sent to the response_url for it. */
async function click(button: Pick<Button, 'action_id' | 'value'>, user: string, answers: number): Promise<SlackReply[]> {
  const before = app.fakeSlack.responses.length;
  const res = await app.t.click(button.action_id, button.value, user);
  expect(res.status, `${res.status} ${await res.text()}`).toBe(200);
  return (await app.fakeSlack.waitForResponses(before + answers)).slice(before) as unknown as SlackReply[];
}

/** `criteria threshold 45` on the four stored leads drops `hot`, the one that qualifies: 1 of 4 moves, over 10%. */
async function previewBigChange(user = MARKETER) {
  await storeLeads();
  const reply = await ask(app.t, app.fakeSlack, 'criteria threshold 45', user);
  return { reply, buttons: buttonsOf(reply) };
}

describe('field names', () => {
  it('refuses a field no stored lead has, naming the closest ones, and saves nothing', async () => {
    await storeLeads();
    const reply = await ask(app.t, app.fakeSlack, 'criteria add "Total Time Spent on Webiste" > 600 5', MARKETER);
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain(
      ':warning: no lead has `Total Time Spent on Webiste`; did you mean `Total Time Spent on Website`? If leads will bring it later, add `--new-field` to the command to save the rule anyway.',
    );
    expect(text).toContain('Use: `/mql criteria add');
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria add Budget > 5 5', MARKETER))).toContain(
      ':warning: no lead has `Budget`. If leads',
    );
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria add events.webinar >= 1 5', MARKETER))).toContain(
      'no lead has `events.webinar`',
    );
    expect(await versions()).toHaveLength(1);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
  });

  it('takes a stored key in any case, and a core field even before any lead is stored', async () => {
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria add title contains founder 5', MARKETER))).toContain('version 1 → 2');
    await storeLeads();
    const reply = await ask(app.t, app.fakeSlack, 'criteria add "lead origin" = API 5', MARKETER);
    expect(readable(reply)).toContain('```+ #16 "lead origin" = API 5```');
    expect(await versions()).toHaveLength(3);
  });

  it('says when no lead is stored yet, and saves a field on purpose with --new-field, written anywhere', async () => {
    const refused = readable(await ask(app.t, app.fakeSlack, 'criteria add Budget > 5 5', MARKETER));
    expect(refused).toContain(
      ':warning: no leads are stored yet, so no field can be checked. If leads will bring it later, add `--new-field`',
    );
    expect(await versions()).toHaveLength(1);

    const saved = await ask(app.t, app.fakeSlack, 'criteria add --new-field Budget > 5 5 as "Has budget"', MARKETER);
    expect(saved.response_type).toBe('in_channel');
    expect(readable(saved)).toContain('```+ #15 Budget &gt; 5 5 as "Has budget"```');
    const [rule] = await queryRows(app.database.db, sql`select field, label from criteria where id = 15`);
    expect(rule).toEqual({ field: 'Budget', label: 'Has budget' });
  });
});

describe('a change that moves many leads', () => {
  it('is not saved: the preview shows the diff, the leads it moves, Save and Cancel, and --confirm', async () => {
    const { reply, buttons } = await previewBigChange();
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain('*Not saved yet:* this change moves 25% of the stored leads across the line');
    expect(text).toContain('more than 10% is saved only when you confirm it');
    expect(text).toContain('```threshold 30 → 45```');
    expect(text).toContain('*+0* newly qualify / *−1* drop out of 4 stored leads.');
    expect(text).toContain('Would qualify: 1 → *0* of 4 stored leads.');
    expect(text).toContain('append `--confirm` to the same command to save it at once: `/mql criteria threshold 45 --confirm`');
    expect(Object.keys(buttons)).toEqual(['Save', 'Cancel']);
    expect(JSON.parse(buttons.Save!.value)).toEqual({ command: 'criteria threshold 45', version: 1 });
    expect(await versions()).toHaveLength(1);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
  });

  it('Save saves exactly what was previewed, once, replaces the preview and announces the change in the channel', async () => {
    const { buttons } = await previewBigChange();
    const [outcome, announcement] = await click(buttons.Save!, MARKETER, 2);
    expect(outcome).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(outcome!.text).toBe(
      ':white_check_mark: Saved as criteria version 2; the change is announced in the channel. Undo it with `/mql criteria revert 1`.',
    );
    expect(announcement).toMatchObject({ replace_original: false, response_type: 'in_channel' });
    expect(readable(announcement!)).toContain('*<@UMARKETER> changed the scoring criteria: version 1 → 2*\n```threshold 30 → 45```');
    expect(readable(announcement!)).toContain('With this version *0* of 4 stored leads would qualify (was 1).');
    expect(await versions()).toMatchObject([{ version: 1 }, { version: 2, threshold: 45, created_by: MARKETER }]);

    // A second click on the same preview (a double click) saves nothing more.
    const [again] = await click(buttons.Save!, MARKETER, 1);
    expect(again).toMatchObject({ replace_original: false });
    expect(again!.text).toContain('The criteria changed since this preview of version 1: <@UMARKETER> made version 2 (threshold 30 → 45)');
    expect(await versions()).toHaveLength(2);
    expect(await count(app.database.db, 'audit_log')).toBe(1);
  });

  it('Cancel replaces the preview and changes nothing', async () => {
    const { buttons } = await previewBigChange();
    const [outcome] = await click(buttons.Cancel!, MARKETER, 1);
    expect(outcome).toMatchObject({ replace_original: true, text: 'Cancelled: nothing was changed.' });
    expect(await versions()).toHaveLength(1);
  });

  it('Save after someone else changed the criteria saves nothing and says who changed them', async () => {
    const { buttons } = await previewBigChange();
    expect((await ask(app.t, app.fakeSlack, 'criteria add TotalVisits >= 10 5', MARKETER2)).response_type).toBe('in_channel');
    const [outcome] = await click(buttons.Save!, MARKETER, 1);
    expect(outcome!.text).toBe(
      ':warning: The criteria changed since this preview of version 1: <@UMARKETER2> made version 2 (+ #15 TotalVisits &gt;= 10 5). Nothing was saved; run the command again to preview your change on the criteria as they are now.',
    );
    expect((await versions()).map((v) => v.threshold)).toEqual([30, 30]);
  });

  it('is saved at once with --confirm (or —confirm, as macOS types it)', async () => {
    await storeLeads();
    const reply = await ask(app.t, app.fakeSlack, 'criteria threshold 45 --confirm', MARKETER);
    expect(reply.response_type).toBe('in_channel');
    expect(readable(reply)).toContain('*+0* newly qualify / *−1* drop out of 4 stored leads.');
    expect((await ask(app.t, app.fakeSlack, 'criteria threshold 5 —confirm', MARKETER)).response_type).toBe('in_channel');
    expect((await versions()).map((v) => v.threshold)).toEqual([30, 45, 5]);
  });

  it('offers no Save button for a command too long to carry, only --confirm', async () => {
    await storeLeads();
    // Every `&` travels as `&amp;`: 400 of them make the command longer than a button value may be.
    const reply = await ask(app.t, app.fakeSlack, `criteria add "Lead Origin" != "${'&'.repeat(400)}" 30`, MARKETER);
    expect(readable(reply)).toContain('*Not saved yet:*');
    expect(readable(reply)).toContain('_This command is too long for a Save button: append `--confirm` to it to save it:');
    expect(buttonsOf(reply)).toEqual({});
    expect(await versions()).toHaveLength(1);
  });
});

describe('the Save button', () => {
  it('refuses anyone but a marketer, and changes nothing', async () => {
    const { buttons } = await previewBigChange();
    const [outcome] = await click(buttons.Save!, 'UREP1', 1);
    expect(outcome).toMatchObject({ replace_original: false });
    expect(outcome!.text).toMatch(
      /^:no_entry: Only marketers may use `\/mql criteria threshold`: <@UMARKETER>, <@UMARKETER2>\. Nothing was done\./,
    );
    expect(await versions()).toHaveLength(1);
  });

  it('answers a forged or garbled value, never with an error status, and changes nothing', async () => {
    await storeLeads();
    for (const value of [
      'garbage',
      '',
      '{"command":"criteria threshold 45"}',
      '{"command":"criteria threshold 45","version":"1"}',
      '{"command":"criteria threshold 45","version":0}',
      '{"command":"score hot","version":1}',
      '{"command":"criteria test threshold 45","version":1}',
      '{"command":"criteria threshold \\"45","version":1}',
      '{"command":"criteria threshold 45\\u0000","version":1}',
      '[]',
      'null',
    ]) {
      const [outcome] = await click({ action_id: CONFIRM_ACTIONS.save, value }, MARKETER, 1);
      expect(outcome!.text, value).toBe(
        ':warning: This button is not from a criteria change waiting for confirmation. Nothing was changed.',
      );
    }
    // A well-formed value whose command is wrong gets that command's own answer.
    const [bad] = await click(
      { action_id: CONFIRM_ACTIONS.save, value: '{"command":"criteria threshold forty","version":1}' },
      MARKETER,
      1,
    );
    expect(bad!.text).toContain('the threshold must be a whole number like 40, not `forty`');
    expect(await versions()).toHaveLength(1);
  });
});

describe('CRITERIA_CONFIRM_SHARE', () => {
  it('is a share above 0 and at most 1, 0.1 when unset or blank', () => {
    expect(loadConfig(BASE).criteria.confirmShare).toBe(0.1);
    expect(loadConfig({ ...BASE, CRITERIA_CONFIRM_SHARE: ' ' }).criteria.confirmShare).toBe(0.1);
    expect(loadConfig({ ...BASE, CRITERIA_CONFIRM_SHARE: '0.25' }).criteria.confirmShare).toBe(0.25);
    expect(loadConfig({ ...BASE, CRITERIA_CONFIRM_SHARE: '1' }).criteria.confirmShare).toBe(1);
    for (const [value, problem] of [
      ['0', 'must be above 0 (a share of leads like 0.1)'],
      ['1.5', 'must be at most 1 (a share of leads like 0.1)'],
      ['10%', 'must be a share of leads like 0.1 (10%)'],
    ]) {
      expect(problems({ ...BASE, CRITERIA_CONFIRM_SHARE: value })).toEqual([`CRITERIA_CONFIRM_SHARE: ${problem}`]);
    }
  });
});
