/*
 * `/mql criteria insights` and GET /api/criteria/insights on the real X Education leads, checked against an
 * independent computation straight from the CSV (plain-csv.ts: no score.ts, no SQL, no backtest code): per rule
 * its matches, conversion among them and among the rest, lift and the leads it alone moves; the sweep's
 * precision and recall at each line and the line with the best F1, on the total and per axis.
 */
import { describe, expect, it } from 'vitest';
import { saveCriteriaChange } from '../../src/scoring/criteria-service.js';
import { ask, readable, useAppWithRealLeads } from './helpers.js';
import { converted, DEFAULTS, type Line, type PlainRule, plainScores, plainSweep, positives, rows } from './plain-csv.js';

const app = useAppWithRealLeads();
const MARKETER = 'UMARKETER';

// ---- the independent computation ----

function ruleFigures(rules: PlainRule[], qualifies: (s: ReturnType<typeof plainScores>) => boolean) {
  return rules.map((rule) => {
    const matched = rows.filter(rule.hit);
    const convertedIn = matched.filter(converted).length;
    const conversionIn = convertedIn / matched.length;
    const conversionOut = (positives - convertedIn) / (rows.length - matched.length);
    const movedAlone = matched.filter((row) => {
      const scores = plainScores(rules, row);
      const without = plainScores(
        rules.filter((r) => r !== rule),
        row,
      );
      return qualifies(scores) !== qualifies(without);
    }).length;
    return {
      label: rule.name,
      matches: matched.length,
      convertedIn,
      conversionIn,
      conversionOut,
      lift: conversionIn / conversionOut,
      movedAlone,
    };
  });
}

// ---- the checks ----

const close = (actual: number | null | undefined, expected: number) => expect(actual).toBeCloseTo(expected, 12);

function expectLines(actual: Array<{ at: number; qualified: number; precision: number; recall: number; f1: number }>, expected: Line[]) {
  expect(actual.map((p) => p.at)).toEqual(expected.map((p) => p.at));
  actual.forEach((p, i) => {
    expect(p.qualified).toBe(expected[i]!.qualified);
    close(p.precision, expected[i]!.precision);
    close(p.recall, expected[i]!.recall);
    close(p.f1, expected[i]!.f1);
  });
}

/** The default rules that cannot fire on the CSV: it has no titles and no events. */
const SILENT = ['Submitted a form', 'Attended a webinar', 'Clicks our emails', 'C-level', 'VP', 'VP', 'Director', 'Head of function'];

describe('insights over the 9,240 real leads', () => {
  const total = rows.map((row) => ({ row, value: plainScores(DEFAULTS, row).total, also: true }));
  // A threshold above the most a lead can score is refused, but every line swept here is below it (235).
  const totalSweep = plainSweep(total, 30, (at) => at > 0);

  it('GET /api/criteria/insights gives each rule the independent figures and flags the ones that match nothing', async () => {
    expect(rows.some((r) => 'title' in r || 'Title' in r)).toBe(false);
    const res = await app.t.api('/api/criteria/insights');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      criteriaVersion: 1,
      threshold: 30,
      minimums: null,
      evaluated: 9240,
      withOutcome: 9240,
      converted: positives,
    });
    expect(res.body.rules).toHaveLength(14);
    const byLabel = new Map(res.body.rules.map((r: { label: string }) => [r.label, r]));
    for (const plain of ruleFigures(DEFAULTS, (s) => s.total >= 30)) {
      const rule = byLabel.get(plain.label) as Record<string, number> & { flags: unknown[] };
      expect(rule, plain.label).toMatchObject({ matches: plain.matches, movedAlone: plain.movedAlone, flags: [] });
      close(rule.conversionIn, plain.conversionIn);
      close(rule.conversionOut, plain.conversionOut);
      close(rule.lift, plain.lift);
    }
    const silent = res.body.rules.filter((r: { matches: number }) => r.matches === 0);
    expect(silent.map((r: { label: string }) => r.label)).toEqual(SILENT);
    for (const rule of silent) {
      expect(rule).toMatchObject({ movedAlone: 0, lift: null, flags: [{ flag: 'matches-nothing', text: 'matches no stored lead' }] });
    }
  });

  it('sweeps the threshold with the independent precision, recall and best F1', async () => {
    const res = await app.t.api('/api/criteria/insights');
    expect(res.body.sweeps).toHaveLength(1);
    const [sweep] = res.body.sweeps;
    expect(sweep).toMatchObject({ on: 'total', fixed: null, current: 30 });
    expectLines(sweep.points, totalSweep.points);
    expectLines([sweep.bestF1], [totalSweep.best]);
    expect(res.body.bestF1).toEqual([{ on: 'total', fixed: null, ...sweep.bestF1 }]);
  });

  it('/mql criteria insights says the same privately, to anyone', async () => {
    const reply = await ask(app.t, app.fakeSlack, 'criteria insights', 'UREP1');
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain('*Evidence for the active rules (version 1)* over 9,240 stored leads');
    const inquiry = ruleFigures(DEFAULTS, (s) => s.total >= 30)[0]!;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(text).toContain(
      `Inquiry form — matches ${inquiry.matches} · ${pct(inquiry.conversionIn)} converted (${inquiry.convertedIn} of ${inquiry.matches}) vs ${pct(inquiry.conversionOut)} of the rest (lift ${inquiry.lift.toFixed(2)}×) · alone moves ${inquiry.movedAlone}`,
    );
    expect(text.match(/:warning: .* — matches no stored lead/g)).toHaveLength(8);
    expect(text).toContain(':warning: 8 of 14 rules flagged.');
    expect(text).toContain('*Sweep of the total threshold*');
    const current = totalSweep.points.find((p) => p.at === 30)!;
    expect(text).toContain(
      `• total &gt;= 30 *(current)*: ${current.qualified.toLocaleString('en-US')} qualify · precision ${current.precision.toFixed(3)} · recall ${current.recall.toFixed(3)} · F1 ${current.f1.toFixed(3)}`,
    );
    expect(text).toContain(`best F1 at *total &gt;= ${totalSweep.best.at}*`);
    expect(readable(await ask(app.t, app.fakeSlack, 'criteria insights now'))).toContain('takes nothing after it');
    expect((await app.t.api('/api/criteria/insights', undefined, { token: null })).status).toBe(401);
  });

  it('flags a rule whose leads convert less, and a penalty on leads that convert better', async () => {
    const chat: PlainRule = { name: 'Chat', points: 10, hit: (r) => r['Lead Source'] === 'Olark Chat', axis: 'fit' };
    const referred: PlainRule = { name: 'Referred', points: -10, hit: (r) => r['Lead Source'] === 'Reference', axis: 'fit' };
    for (const rule of [
      { field: 'Lead Source', op: '=' as const, value: 'Olark Chat', points: 10, label: 'Chat' },
      { field: 'Lead Source', op: '=' as const, value: 'Reference', points: -10, label: 'Referred' },
    ]) {
      expect((await saveCriteriaChange(app.database.db, { kind: 'add', rule }, MARKETER, new Date())).ok).toBe(true);
    }
    const res = await app.t.api('/api/criteria/insights');
    const plain = ruleFigures([...DEFAULTS, chat, referred], (s) => s.total >= 30);
    for (const label of ['Chat', 'Referred']) {
      const expected = plain.find((p) => p.label === label)!;
      const rule = res.body.rules.find((r: { label: string }) => r.label === label);
      expect(rule).toMatchObject({ matches: expected.matches, movedAlone: expected.movedAlone });
      close(rule.lift, expected.lift);
    }
    expect(plain.find((p) => p.label === 'Chat')!.lift).toBeLessThan(1);
    expect(plain.find((p) => p.label === 'Referred')!.lift).toBeGreaterThan(1);
    const flags = (label: string) => res.body.rules.find((r: { label: string }) => r.label === label).flags;
    expect(flags('Chat')).toEqual([{ flag: 'lowers-conversion', text: 'leads it matches convert less than the rest' }]);
    expect(flags('Referred')).toEqual([{ flag: 'penalises-converters', text: 'leads it penalises convert better than the rest' }]);
    const text = readable(await ask(app.t, app.fakeSlack, 'criteria insights'));
    expect(text).toContain(':warning: leads it matches convert less than the rest');
    expect(text).toContain(':warning: leads it penalises convert better than the rest');
    expect(text).toContain(':warning: 10 of 16 rules flagged.');
  });

  it('with minimums, sweeps each axis with the other held, against the independent figures', async () => {
    const minimums = { fit: 10, engagement: 30 };
    expect((await saveCriteriaChange(app.database.db, { kind: 'minimums', minimums }, MARKETER, new Date())).ok).toBe(true);
    const chat: PlainRule = { name: 'Chat', points: 10, hit: (r) => r['Lead Source'] === 'Olark Chat', axis: 'fit' };
    const referred: PlainRule = { name: 'Referred', points: -10, hit: (r) => r['Lead Source'] === 'Reference', axis: 'fit' };
    const rules = [...DEFAULTS, chat, referred];
    const scores = rows.map((row) => ({ row, ...plainScores(rules, row) }));
    const fitSweep = plainSweep(
      scores.map((s) => ({ row: s.row, value: s.fit, also: s.engagement >= 30 })),
      10,
      (at) => at > 0,
    );
    // A minimum of 0 asks nothing of a lead: not allowed, on either axis.
    const engagementSweep = plainSweep(
      scores.map((s) => ({ row: s.row, value: s.engagement, also: s.fit >= 10 })),
      30,
      (at) => at > 0,
    );

    const res = await app.t.api('/api/criteria/insights');
    expect(res.body).toMatchObject({ minimums, qualified: scores.filter((s) => s.fit >= 10 && s.engagement >= 30).length });
    const [fit, engagement] = res.body.sweeps;
    expect(fit).toMatchObject({ on: 'fit', fixed: { axis: 'engagement', minimum: 30 }, current: 10 });
    expectLines(fit.points, fitSweep.points);
    expectLines([fit.bestF1], [fitSweep.best]);
    expect(engagement).toMatchObject({ on: 'engagement', fixed: { axis: 'fit', minimum: 10 }, current: 30 });
    expectLines(engagement.points, engagementSweep.points);
    expectLines([engagement.bestF1], [engagementSweep.best]);
    for (const plain of ruleFigures(rules, (s) => s.fit >= 10 && s.engagement >= 30)) {
      const rule = res.body.rules.find((r: { label: string }) => r.label === plain.label);
      expect(rule.movedAlone, plain.label).toBe(plain.movedAlone);
    }

    const text = readable(await ask(app.t, app.fakeSlack, 'criteria insights'));
    expect(text).toContain('A lead qualifies at *fit &gt;= 10 and engagement &gt;= 30*');
    expect(text).toContain('*Sweep of the fit minimum (engagement held at &gt;= 30)*');
    expect(text).toContain('*Sweep of the engagement minimum (fit held at &gt;= 10)*');
  });
});
