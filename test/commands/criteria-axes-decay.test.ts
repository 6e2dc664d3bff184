import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { ask, readable } from './helpers.js';
import { MARKETER, MARKETER2, useCriteriaApp } from './criteria-fixtures.js';

const { app } = useCriteriaApp();

const DAY_MS = 86_400_000;

async function versions() {
  return queryRows<{ version: number; threshold: number; fit_minimum: number | null; engagement_minimum: number | null; decay: unknown }>(
    app.database.db,
    sql`select version, threshold, fit_minimum, engagement_minimum, decay from criteria_versions order by version`,
  );
}

/** A lead through the API, as a form or a CRM would send it; its score and verdict as the API answers. */
async function postLead(externalId: string, extra: Record<string, unknown>) {
  const res = await app.t.api('/api/leads', { source: 'web', externalId, ...extra });
  expect(res.status).toBe(200);
  return res.body.leads[0] as { score: number; qualified: boolean; breakdown: Array<{ reason: string; axis?: string }> };
}

const formDaysAgo = (days: number) => ({
  events: [{ type: 'form_submit', occurredAt: new Date(Date.now() - days * DAY_MS).toISOString() }],
});

describe('/mql criteria by axis', () => {
  it('shows what qualifies a lead, the decay, and the rules under Fit and Engagement with the most each can reach, windows included', async () => {
    const added = await ask(
      app.t,
      app.fakeSlack,
      'criteria add events.demo_request in 30d >= 1 25 as "Asked for a demo" --new-field',
      MARKETER,
    );
    expect(added.response_type).toBe('in_channel');
    const text = readable(await ask(app.t, app.fakeSlack, 'criteria'));
    expect(text).toContain('*Scoring criteria* — a lead qualifies at *total &gt;= 30*');
    expect(text).toContain('Decay: engagement points do not decay');
    // Fit: occupation 30 + C-level 20 + VP 15 + VP 15 + Director 15 + Head of 10; the negative rules lower no maximum.
    const fit = text.indexOf('*Fit* — who they are (at most 105 points)');
    // Engagement: form 30 + inquiry 40 + webinar 15 + email clicks 10 + time on site 30 + visits 5 + the demo rule 25.
    const engagement = text.indexOf('*Engagement* — what they did (at most 155 points)');
    expect(fit).toBeGreaterThan(0);
    expect(engagement).toBeGreaterThan(fit);
    const at = (line: string) => text.indexOf(line);
    expect(at('`#7` `"What is your current occupation" = "Working Professional"` *+30* Working professional')).toBeGreaterThan(fit);
    expect(at('`#13` `"Do Not Email" = Yes` *−20* Opted out of email')).toBeLessThan(engagement);
    expect(at('`#2` `"Lead Origin" = "Lead Add Form"` *+40* Inquiry form')).toBeGreaterThan(engagement);
    expect(at('`#15` `events.demo_request in 30d &gt;= 1` *+25* Asked for a demo')).toBeGreaterThan(engagement);
    expect(text).toContain('`/mql criteria history`');
    expect(text).toContain('`/mql criteria insights`');
  });
});

describe('/mql criteria qualify', () => {
  it('qualifies leads on both minimums, then on the total again after a threshold', async () => {
    const reply = await ask(app.t, app.fakeSlack, 'criteria qualify fit >= 20 and engagement >= 30', MARKETER);
    expect(reply.response_type).toBe('in_channel');
    expect(readable(reply)).toContain('*<@UMARKETER> changed the scoring criteria: version 1 → 2*');
    expect(readable(reply)).toContain('```qualify total &gt;= 30 → fit &gt;= 20 and engagement &gt;= 30```');
    expect((await versions())[1]).toMatchObject({ version: 2, fit_minimum: 20, engagement_minimum: 30 });
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria'))).toContain('a lead qualifies at *fit &gt;= 20 and engagement &gt;= 30*');

    // 30 points, all engagement: enough for the old total of 30, not for a fit minimum.
    expect(await postLead('form-only', formDaysAgo(1))).toMatchObject({
      score: 30,
      fit: 0,
      engagement: 30,
      minimums: { fit: 20, engagement: 30 },
      qualified: false,
    });
    const both = await postLead('form-and-fit', {
      ...formDaysAgo(1),
      attributes: { 'What is your current occupation': 'Working Professional' },
    });
    expect(both).toMatchObject({ score: 60, qualified: true });
    expect(both.breakdown.map((b) => b.axis).sort()).toEqual(['engagement', 'fit']);

    const back = await ask(app.t, app.fakeSlack, 'criteria qualify total >= 40', MARKETER2);
    expect(readable(back)).toContain('```qualify fit &gt;= 20 and engagement &gt;= 30 → total &gt;= 40```');
    expect((await versions())[2]).toMatchObject({ version: 3, threshold: 40, fit_minimum: null, engagement_minimum: null });
    expect(
      await postLead('visits', { ...formDaysAgo(1), attributes: { TotalVisits: 9, 'Total Time Spent on Website': 1000 } }),
    ).toMatchObject({
      score: 65,
      qualified: true,
    });
  });

  it('refuses a line no lead could reach, or one every lead reaches, and changes nothing', async () => {
    const cases: Array<[string, string]> = [
      [
        'criteria qualify fit >= 500 and engagement >= 30',
        'no lead could reach fit 500: the most a lead can score on fit is 105; nothing was changed',
      ],
      [
        'criteria qualify total >= 1000',
        'no lead could reach 1000: the most a lead can score is 235 (every positive rule matching); nothing was changed',
      ],
      ['criteria threshold -5', 'the threshold must be above 0 (at -5 a lead qualifies with no points); nothing was changed'],
      [
        'criteria qualify fit >= 0 and engagement >= 30',
        'each minimum must be above 0 (at 0 an axis asks nothing of a lead); nothing was changed',
      ],
      ['criteria qualify total >= 30', 'the threshold is already 30; nothing was changed'],
    ];
    for (const [text, message] of cases) {
      const reply = await ask(app.t, app.fakeSlack, text, MARKETER);
      expect(reply.response_type).toBe('ephemeral');
      expect(readable(reply)).toContain(message);
    }
    expect(await versions()).toHaveLength(1);
  });

  it('answers wrong input with the right form', async () => {
    const cases: Array<[string, string]> = [
      ['criteria qualify fit >= 20 or engagement >= 30', 'is not a minimum; write total &gt;= 40, or fit &gt;= 20 and engagement &gt;= 30'],
      ['criteria qualify total >= 30 and fit >= 10', 'qualify on the total, or on fit and engagement, not both'],
      ['criteria qualify', '`(nothing)` is not a minimum'],
    ];
    for (const [text, message] of cases) {
      const shown = readable(await ask(app.t, app.fakeSlack, text, MARKETER));
      expect(shown).toContain(message);
      expect(shown).toContain('Use: `/mql criteria qualify total &gt;= &lt;n&gt; | fit &gt;= &lt;n&gt; and engagement &gt;= &lt;n&gt;`');
      expect(shown).toContain('Example: `/mql criteria qualify fit &gt;= 20 and engagement &gt;= 30`');
    }
    expect(await versions()).toHaveLength(1);
  });
});

describe('/mql criteria decay', () => {
  it('sets a half-life, a window or none; /mql criteria and the history show it', async () => {
    const halfLife = await ask(app.t, app.fakeSlack, 'criteria decay 30d', MARKETER);
    expect(readable(halfLife)).toContain('```decay: engagement points do not decay → engagement points halve every 30 days```');
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria'))).toContain('Decay: engagement points halve every 30 days');

    await ask(app.t, app.fakeSlack, 'criteria decay window 90d', MARKETER2);
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria'))).toContain('Decay: engagement points count for 90 days, then drop to 0');
    await ask(app.t, app.fakeSlack, 'criteria decay half-life 14d', MARKETER);
    await ask(app.t, app.fakeSlack, 'criteria decay off', MARKETER);
    expect((await versions()).map((v) => v.decay)).toEqual([
      { kind: 'off' },
      { kind: 'half-life', days: 30 },
      { kind: 'window', days: 90 },
      { kind: 'half-life', days: 14 },
      { kind: 'off' },
    ]);

    const history = readable(await ask(app.t, app.fakeSlack, 'criteria history'));
    expect(history).toContain('```decay: engagement points halve every 30 days → engagement points count for 90 days, then drop to 0```');
    expect(history).toContain('```decay: engagement points halve every 14 days → engagement points do not decay```');
  });

  it('a window stops an old form from qualifying a lead; a recent one still does', async () => {
    await ask(app.t, app.fakeSlack, 'criteria decay window 30d', MARKETER);
    expect(await postLead('old-form', formDaysAgo(60))).toMatchObject({ score: 0, qualified: false });
    expect(await postLead('new-form', formDaysAgo(2))).toMatchObject({ score: 30, qualified: true });
  });

  it('answers wrong input with the right form, and a decay already set', async () => {
    const cases: Array<[string, string]> = [
      ['criteria decay sometimes', '`sometimes` is not a duration from 1d to 3650d; decay takes off, a half-life like 30d, or window 90d'],
      ['criteria decay 36h', 'decay counts whole days; write `2d`'],
      ['criteria decay 0d', '`0d` is not a duration from 1d to 3650d'],
      ['criteria decay 99999d', '`99999d` is not a duration from 1d to 3650d'],
      ['criteria decay window', 'decay takes off, a half-life like 30d, or window 90d'],
      ['criteria decay off', 'engagement points do not decay already; nothing was changed'],
    ];
    for (const [text, message] of cases) {
      const shown = readable(await ask(app.t, app.fakeSlack, text, MARKETER));
      expect(shown).toContain(message);
      expect(shown).toContain('Use: `/mql criteria decay &lt;days&gt;d | half-life &lt;days&gt;d | window &lt;days&gt;d | off`');
    }
    expect(await versions()).toHaveLength(1);
  });
});

describe('who may change what qualifies', () => {
  it('refuses qualify, decay and revert to anyone but a marketer, and changes nothing', async () => {
    for (const text of ['criteria qualify total >= 40', 'criteria decay 30d', 'criteria revert 1']) {
      const reply = await ask(app.t, app.fakeSlack, text, 'UREP1');
      expect(reply.response_type).toBe('ephemeral');
      expect(readable(reply)).toMatch(/Only marketers may use `\/mql criteria \w+`: <@UMARKETER>, <@UMARKETER2>\. Nothing was done\./);
    }
    expect(await versions()).toHaveLength(1);
  });

  it('lists the new subcommands in help and in the answer to an unknown criteria subcommand', async () => {
    const help = readable(await ask(app.t, app.fakeSlack, 'help'));
    for (const example of [
      '/mql criteria qualify fit &gt;= 20 and engagement &gt;= 30',
      '/mql criteria decay 30d',
      '/mql criteria history 5',
      '/mql criteria revert 3',
    ]) {
      expect(help).toContain(example);
    }
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria delete 3'))).toMatch(
      /unknown criteria subcommand `delete`; use add, remove, threshold, qualify, decay, test, history(,| or) revert\b/,
    );
  });
});
