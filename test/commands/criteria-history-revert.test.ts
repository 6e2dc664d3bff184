import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { LIMITS } from '../../src/slack/blocks.js';
import { storedDiffBlock } from '../../commands/format.js';
import { ask, readable } from './helpers.js';
import { MARKETER, MARKETER2, useCriteriaApp } from './criteria-fixtures.js';

const { app } = useCriteriaApp();

type VersionRow = {
  version: number;
  threshold: number;
  fit_minimum: number | null;
  engagement_minimum: number | null;
  decay: unknown;
  rules: unknown[];
  created_by: string;
};

async function versions() {
  return queryRows<VersionRow>(
    app.database.db,
    sql`select version, threshold, fit_minimum, engagement_minimum, decay, rules, created_by from criteria_versions order by version`,
  );
}

/** Makes the changes one after another, each expected to be saved. */
async function change(...commands: Array<[text: string, user: string]>) {
  for (const [text, user] of commands) {
    const reply = await ask(app.t, app.fakeSlack, text, user);
    expect(reply.response_type, `${text}: ${readable(reply)}`).toBe('in_channel');
  }
}

describe('/mql criteria history', () => {
  it('lists the versions newest first with who, when and the diff, and how to go back, to anyone', async () => {
    await change(
      ['criteria add TotalVisits >= 10 5 as "Frequent visitor" --new-field', MARKETER],
      ['criteria remove 2', MARKETER],
      ['criteria threshold 40', MARKETER2],
    );
    const reply = await ask(app.t, app.fakeSlack, 'criteria history', 'UREP1');
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain('*Criteria history* — all 4 versions, newest first');
    const date = String.raw`<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+>`;
    expect(text).toMatch(new RegExp(String.raw`\*Version 4\* \(active\) — <@UMARKETER2>, ${date}\n\`\`\`threshold 30 → 40\`\`\``));
    expect(text).toMatch(
      new RegExp(
        String.raw`\*Version 3\* — <@UMARKETER>, ${date}\n\`\`\`- #2 "Lead Origin" = "Lead Add Form" 40 engagement as "Inquiry form"\`\`\``,
      ),
    );
    expect(text).toContain('```+ #15 TotalVisits &gt;= 10 5 as "Frequent visitor"```');
    expect(text).toMatch(new RegExp(String.raw`\*Version 1\* — system, ${date}\n\`\`\`default criteria seeded\`\`\``));
    expect(text.indexOf('*Version 4*')).toBeLessThan(text.indexOf('*Version 3*'));
    expect(text.indexOf('*Version 2*')).toBeLessThan(text.indexOf('*Version 1*'));
    expect(text).toContain('`/mql criteria revert &lt;version&gt;` (marketers) makes a new version equal to that one');
    expect(text).not.toContain('older version');
  });

  it('shows the newest n, and how many older ones there are', async () => {
    await change(['criteria threshold 35', MARKETER], ['criteria threshold 40', MARKETER]);
    const text = readable(await ask(app.t, app.fakeSlack, 'criteria history 2'));
    expect(text).toContain('*Criteria history* — the newest 2 of 3 versions, newest first');
    expect(text).toContain('*Version 2*');
    expect(text).not.toContain('*Version 1*');
    expect(text).toContain('…and 1 older version (before version 2): `/mql criteria history 3`');
  });

  it('answers a count that is not one with the right form', async () => {
    for (const text of ['criteria history many', 'criteria history 0', 'criteria history 5 6']) {
      const shown = readable(await ask(app.t, app.fakeSlack, text));
      expect(shown).toContain('is not a number of versions like 5');
      expect(shown).toContain('Use: `/mql criteria history [n]`');
    }
  });
});

describe('/mql criteria revert', () => {
  it('makes a new version equal to the old one: rules (retired ones back with their ids), what qualifies and the decay', async () => {
    await change(
      ['criteria add TotalVisits >= 10 5 as "Frequent visitor" --new-field', MARKETER],
      ['criteria remove 2', MARKETER],
      ['criteria qualify fit >= 20 and engagement >= 30', MARKETER2],
      ['criteria decay 30d', MARKETER2],
    );
    const reply = await ask(app.t, app.fakeSlack, 'criteria revert 1', MARKETER);
    expect(reply.response_type).toBe('in_channel');
    const text = readable(reply);
    expect(text).toContain('*<@UMARKETER> changed the scoring criteria: version 5 → 6*');
    expect(text).toContain('```revert to version 1\n- #15');
    expect(text).toContain('- #15 TotalVisits &gt;= 10 5 as "Frequent visitor"');
    expect(text).toContain('+ #2 "Lead Origin" = "Lead Add Form" 40 engagement as "Inquiry form"');
    expect(text).toContain('qualify fit &gt;= 20 and engagement &gt;= 30 → total &gt;= 30');
    expect(text).toContain('decay: engagement points halve every 30 days → engagement points do not decay');

    const all = await versions();
    expect(all).toHaveLength(6);
    const [v1, , , , , v6] = all;
    expect(v6).toMatchObject({
      version: 6,
      threshold: v1!.threshold,
      fit_minimum: null,
      engagement_minimum: null,
      decay: v1!.decay,
      created_by: MARKETER,
    });
    expect(v6!.rules).toEqual(v1!.rules);
    const rows = await queryRows<{ id: number; removed_in_version: number | null }>(
      app.database.db,
      sql`select id::int, removed_in_version from criteria where id in (2, 15) order by id`,
    );
    expect(rows).toEqual([
      { id: 2, removed_in_version: null },
      { id: 15, removed_in_version: 6 },
    ]);
    const [audit] = await queryRows<{ details: { revertedTo: number } }>(
      app.database.db,
      sql`select details from audit_log where action = 'criteria.changed' and entity_id = '6'`,
    );
    expect(audit!.details.revertedTo).toBe(1);

    // The history shows the revert's diff a change a line.
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria history 1'))).toContain(
      '```revert to version 1\n- #15 TotalVisits &gt;= 10 5 as "Frequent visitor"\n+ #2 "Lead Origin" = "Lead Add Form" 40 engagement as "Inquiry form"\nqualify fit',
    );

    const list = readable(await ask(app.t, app.fakeSlack, 'criteria'));
    expect(list).toContain('`#2` `"Lead Origin" = "Lead Add Form"` *+40* Inquiry form');
    expect(list).not.toContain('`#15`');
    expect(list).toContain('a lead qualifies at *total &gt;= 30*');
    expect(list).toContain('Decay: engagement points do not decay');

    // Going forward again is a revert too: version 7 equals version 5.
    await change(['criteria revert 5', MARKETER2]);
    const [, , , , v5, , v7] = await versions();
    expect(v7).toMatchObject({ threshold: v5!.threshold, fit_minimum: 20, engagement_minimum: 30, decay: { kind: 'half-life', days: 30 } });
    expect(v7!.rules).toEqual(v5!.rules);
  });

  it('refuses the active version, an unknown one, one equal to the active criteria, and input that is not a version', async () => {
    await change(['criteria threshold 40', MARKETER], ['criteria threshold 30', MARKETER]);
    const cases: Array<[string, string]> = [
      ['criteria revert 3', 'version 3 is the active version; name an earlier one (`/mql criteria history` lists the versions)'],
      ['criteria revert 99', 'there is no version 99; the versions are 1 to 3 (`/mql criteria history` lists the versions)'],
      ['criteria revert 1', 'the active criteria are already equal to version 1; nothing was changed'],
      ['criteria revert latest', '`latest` is not a version number like 3'],
      ['criteria revert', 'missing the version to go back to'],
      ['criteria revert 1 2', 'expected only the version number, not `1 2`'],
    ];
    for (const [text, message] of cases) {
      const reply = await ask(app.t, app.fakeSlack, text, MARKETER);
      expect(reply.response_type).toBe('ephemeral');
      const shown = readable(reply);
      expect(shown).toContain(message);
      expect(shown).toContain('Use: `/mql criteria revert &lt;version&gt;`');
    }
    expect(await versions()).toHaveLength(3);
  });

  it('takes v2 and #2 as version 2', async () => {
    await change(['criteria threshold 40', MARKETER], ['criteria threshold 50', MARKETER]);
    await change(['criteria revert v2', MARKETER]);
    await change(['criteria revert #3', MARKETER]);
    expect((await versions()).map((v) => v.threshold)).toEqual([30, 40, 50, 40, 50]);
  });
});

describe('a long diff', () => {
  it('keeps to one Slack section with its closing fence, counting the lines left out', () => {
    const change = Array.from({ length: 40 }, (_, i) => `+ #${i + 1} note includes "${'x'.repeat(200)}; y" 5 as "a; b"`).join('; ');
    const block = storedDiffBlock(change);
    expect(block.length).toBeLessThan(LIMITS.sectionText - 200);
    expect(block).toMatch(/^```\+ #1 note includes "x+; y" 5 as "a; b"\n\+ #2 /);
    expect(block).toMatch(/\n…and 2\d more```$/);
  });
});
