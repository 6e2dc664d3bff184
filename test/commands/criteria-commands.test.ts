import { describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { ask, count, readable } from './helpers.js';
import { MARKETER, MARKETER2, useCriteriaApp } from './criteria-fixtures.js';

const { app, storeLeads } = useCriteriaApp();

async function versions() {
  return queryRows<{ version: number; threshold: number; created_by: string; change: string; rules: Array<{ id: number; field: string }> }>(
    app.database.db,
    sql`select version, threshold, created_by, change, rules from criteria_versions order by version`,
  );
}

describe('/mql criteria', () => {
  it('lists every active rule with id, field, operator, value, points and label, what qualifies, version and who changed it', async () => {
    const reply = await ask(app.t, app.fakeSlack, 'criteria');
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain('a lead qualifies at *total &gt;= 30*');
    expect(text).toMatch(/Version 1, changed by system <!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+>: default criteria seeded/);
    expect(text).toContain('`#1` `events.form_submit &gt;= 1` *+30* Submitted a form');
    expect(text).toContain('`#2` `"Lead Origin" = "Lead Add Form"` *+40* Inquiry form');
    expect(text).toContain('`#13` `"Do Not Email" = Yes` *−20* Opted out of email');
    expect(text).toContain('`#14` `"Last Activity" in "Email Bounced,Unsubscribed"` *−10* Bad contact data');
    expect(text).toContain('Marketers (<@UMARKETER>, <@UMARKETER2>)');
  });

  it('answers an unknown criteria subcommand with the forms there are', async () => {
    const reply = await ask(app.t, app.fakeSlack, 'criteria delete 3');
    expect(readable(reply)).toMatch(/:warning: unknown criteria subcommand `delete`; use add, remove, threshold, qualify, decay, test, /);
  });
});

describe('/mql criteria add', () => {
  it('makes a new version, answers in the channel with the diff and the preview', async () => {
    await storeLeads();
    const reply = await ask(
      app.t,
      app.fakeSlack,
      'criteria add “Total Time Spent on Website” &gt; 600 30 as “Engaged a while” --confirm',
      MARKETER,
    );
    expect(reply.response_type).toBe('in_channel');
    const text = readable(reply);
    expect(text).toContain('*<@UMARKETER> changed the scoring criteria: version 1 → 2*');
    expect(text).toContain('```+ #15 "Total Time Spent on Website" &gt; 600 30 as "Engaged a while"```');
    // hot (40), warm (30) and warm2 (35) would qualify; before, only hot did.
    expect(text).toContain('With this version *3* of 4 stored leads would qualify (was 1).');
    expect(text).toContain('None is posted because of this change');

    const [, v2] = await versions();
    expect(v2).toMatchObject({
      version: 2,
      threshold: 30,
      created_by: MARKETER,
      change: '+ #15 "Total Time Spent on Website" > 600 30 as "Engaged a while"',
    });
    expect(v2!.rules).toHaveLength(15);
    const [row] = await queryRows(
      app.database.db,
      sql`select field, op, value, points, label, added_in_version from criteria where id = 15`,
    );
    expect(row).toEqual({
      field: 'Total Time Spent on Website',
      op: '>',
      value: '600',
      points: 30,
      label: 'Engaged a while',
      added_in_version: 2,
    });
    const [audit] = await queryRows(app.database.db, sql`select actor, action, entity_id from audit_log where action = 'criteria.changed'`);
    expect(audit).toEqual({ actor: MARKETER, action: 'criteria.changed', entity_id: '2' });

    const list = readable(await ask(app.t, app.fakeSlack, 'criteria'));
    expect(list).toMatch(/Version 2, changed by <@UMARKETER> <!date\^/);
    expect(list).toContain('`#15` `"Total Time Spent on Website" &gt; 600` *+30* Engaged a while');
  });

  it('refuses anyone but a marketer, saying who may, and changes nothing', async () => {
    for (const text of ['criteria add TotalVisits >= 10 5', 'criteria remove 2', 'criteria threshold 40']) {
      const reply = await ask(app.t, app.fakeSlack, text, 'UREP1');
      expect(reply.response_type).toBe('ephemeral');
      expect(readable(reply)).toMatch(
        /Only marketers may use `\/mql criteria \w+`: <@UMARKETER>, <@UMARKETER2>\. Nothing was done\. Everyone may read the criteria/,
      );
    }
    // A manager is not a marketer either.
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria threshold 40', 'UMANAGER'))).toContain(
      'Only marketers may use `/mql criteria threshold`',
    );
    expect(await versions()).toHaveLength(1);
    expect(await count(app.database.db, 'criteria')).toBe(14);
    expect(await count(app.database.db, 'audit_log')).toBe(0);
  });

  it('explains bad input privately with the right form, and changes nothing', async () => {
    const cases: Array<[string, string]> = [
      ['criteria add TotalVisits =&gt; 5 5', 'unknown operator `=&gt;`; use one of = != &gt; &gt;= &lt; &lt;= in contains includes exists'],
      ['criteria add Total Time Spent on Website > 600 20', 'a field name with spaces needs quotes: "Total Time Spent on Website"'],
      ['criteria add TotalVisits >= 5', 'missing the points after the value `5`'],
      ['criteria add TotalVisits >= many 5', '`&gt;=` compares numbers and `many` is not a number'],
      ['criteria add phone exists yes 5', '`exists` takes no value'],
      ['criteria add "Lead Origin = API 5', 'unclosed quote'],
      ['criteria add lead origin = "lead add form" 5', 'a field name with spaces needs quotes: "lead origin"'],
      [
        'criteria add "lead origin" = "lead add form" 5',
        'rule #2 already tests that: "Lead Origin" = "Lead Add Form" 40 engagement as "Inquiry form"; nothing was changed',
      ],
    ];
    for (const [text, message] of cases) {
      const reply = await ask(app.t, app.fakeSlack, text, MARKETER);
      expect(reply.response_type).toBe('ephemeral');
      const shown = readable(reply);
      expect(shown).toContain(message);
      if (!text.includes('"Lead Origin = API')) {
        expect(shown).toContain(
          'Use: `/mql criteria add &lt;field&gt; [in &lt;duration&gt;] &lt;op&gt; &lt;value&gt; &lt;points&gt; [fit|engagement] [as "label"] [--new-field]`',
        );
        expect(shown).toContain('Example: `/mql criteria add "Total Time Spent on Website" &gt; 600 20 as "Engaged on site"`');
      }
    }
    expect(await versions()).toHaveLength(1);
    expect(await count(app.database.db, 'criteria')).toBe(14);
  });

  it('serialises two marketers changing at once: each gets its own version and the later keeps both rules', async () => {
    const before = app.fakeSlack.responses.length;
    await Promise.all([
      app.t.command('criteria add TotalVisits >= 10 5 as "Frequent visitor" --new-field', MARKETER),
      app.t.command('criteria add country = India 5', MARKETER2),
    ]);
    const replies = (await app.fakeSlack.waitForResponses(before + 2)).slice(before).map((r) => String(r.text));
    expect(replies.map((r) => r.match(/^Criteria version (\d+)/)?.[1]).sort()).toEqual(['2', '3']);
    const all = await versions();
    expect(all.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(all[2]!.rules.map((r) => r.field)).toEqual(expect.arrayContaining(['TotalVisits', 'country']));
    expect(all[2]!.rules).toHaveLength(16);
  });
});

describe('/mql criteria remove and threshold', () => {
  it('removes a rule by id, keeping its row for history', async () => {
    const reply = await ask(app.t, app.fakeSlack, 'criteria remove #2', MARKETER);
    expect(readable(reply)).toContain('```- #2 "Lead Origin" = "Lead Add Form" 40 engagement as "Inquiry form"```');
    const [row] = await queryRows(app.database.db, sql`select removed_in_version from criteria where id = 2`);
    expect(row).toEqual({ removed_in_version: 2 });
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria'))).not.toContain('`#2`');
    const again = await ask(app.t, app.fakeSlack, 'criteria remove 2', MARKETER);
    expect(readable(again)).toContain('there is no active rule #2; `/mql criteria` lists the rules with their ids; nothing was changed');
    expect(await versions()).toHaveLength(2);
  });

  it('sets the threshold', async () => {
    await storeLeads();
    const reply = await ask(app.t, app.fakeSlack, 'criteria threshold 45 --confirm', MARKETER);
    expect(readable(reply)).toContain('```threshold 30 → 45```');
    expect(readable(reply)).toContain('With this version *0* of 4 stored leads would qualify (was 1).');
    expect((await versions())[1]).toMatchObject({ threshold: 45, change: 'threshold 30 → 45' });
    for (const [text, message] of [
      ['criteria threshold 45', 'the threshold is already 45; nothing was changed'],
      ['criteria threshold forty', 'the threshold must be a whole number like 40, not `forty`'],
      ['criteria threshold', 'missing the threshold'],
    ]) {
      const bad = readable(await ask(app.t, app.fakeSlack, text!, MARKETER));
      expect(bad).toContain(message);
      expect(bad).toContain('Use: `/mql criteria threshold &lt;n&gt;`');
    }
    expect(await versions()).toHaveLength(2);
  });
});

describe('the router', () => {
  it('lists every subcommand with an example, including the SLA ones', async () => {
    const reply = await ask(app.t, app.fakeSlack, 'help');
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    for (const example of [
      '/mql help',
      '/mql criteria`',
      '/mql criteria add "Total Time Spent on Website" &gt; 600 20 as "Engaged on site"',
      '/mql criteria remove 7',
      '/mql criteria threshold 40',
      '/mql criteria test threshold 35; add TotalVisits &gt;= 10 5',
      '/mql score jane@example.com',
      '/mql stats 7',
      '/mql stalled',
      '/mql digest now',
      '/mql digest preview',
    ]) {
      expect(text).toContain(example);
    }
    expect(readable(await ask(app.t, app.fakeSlack, ''))).toContain('*`/mql` commands*');
  });

  it('answers an unknown subcommand with help', async () => {
    const unknown = await ask(app.t, app.fakeSlack, 'crtieria add x');
    expect(unknown.response_type).toBe('ephemeral');
    expect(readable(unknown)).toContain('unknown subcommand `crtieria add`; these are the ones there are:');
    expect(readable(unknown)).toContain('/mql criteria remove 7');
  });

  it('acks at once and answers an unexpected failure with a generic message, logging the error', async () => {
    const logged = vi.spyOn(app.t.app.deps.logger, 'error');
    vi.spyOn(app.t.app.deps.database.db, 'select').mockImplementationOnce(() => {
      throw new Error('connection reset by peer');
    });
    const ack = await app.t.command('criteria', 'UREP1');
    expect(ack).toEqual({ status: 200, body: null });
    const [reply] = await app.fakeSlack.waitForResponses(1);
    expect(reply!.text).toBe(':warning: Sorry, `/mql criteria` failed unexpectedly. The error has been logged; please try again later.');
    expect(JSON.stringify(reply)).not.toContain('connection reset');
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ user: 'UREP1', text: 'criteria' }), '/mql criteria failed');
  });
});
