import { beforeEach, describe, expect, it } from 'vitest';
import { saveCriteriaChange } from '../../src/scoring/criteria-service.js';
import { ask, readable } from './helpers.js';
import { useTestApp } from '../helpers/use-test-app.js';

// Two hours after Jane's form: reasons say how old their evidence is.
let clock = new Date('2026-11-20T12:00:00Z');
const app = useTestApp({ resetBeforeEach: true, now: () => clock });

beforeEach(async () => {
  clock = new Date('2026-11-20T12:00:00Z');
  await app.t.api('/api/leads', {
    source: 'web',
    externalId: 'jane-1',
    email: 'Jane@Example.com',
    name: 'Jane <Doe>',
    company: 'Acme & Co',
    title: 'VP of Sales',
    attributes: { 'Total Time Spent on Website': 1532 },
    events: [{ type: 'form_submit', occurredAt: '2026-11-20T10:00:00Z' }],
  });
});

describe('/mql score', () => {
  it('explains a lead found by email privately: score with fit and engagement, what qualifies, decay, and every reason in words and rule syntax', async () => {
    // Slack turns a typed email into a mailto link.
    const reply = await ask(app.t, app.fakeSlack, 'score <mailto:jane@example.com|jane@example.com>');
    expect(reply.response_type).toBe('ephemeral');
    expect(readable(reply)).toBe(
      [
        '*Jane &lt;Doe&gt; · Acme &amp; Co · Jane@Example.com* (source `web`, id `jane-1`)',
        'Score *75* (fit 15 · engagement 60): *qualified* (needs `total &gt;= 30`) · stage *mql* · criteria version 1',
        '_Engagement points do not decay._',
        '• +30 Submitted a form · 2 h ago — `events.form_submit &gt;= 1`',
        '• +30 Engaged on site · 26 min on site · 2 h ago — `"Total Time Spent on Website" &gt;= 900`',
        '• +15 VP · VP of Sales — `title contains vp`',
      ].join('\n'),
    );
  });

  it('shows what decay took and when the score next changes, and the minimums when the criteria qualify per axis', async () => {
    const marketer = 'UMARKETER';
    expect((await saveCriteriaChange(app.database.db, { kind: 'decay', decay: { kind: 'half-life', days: 30 } }, marketer, clock)).ok).toBe(
      true,
    );
    expect(
      (await saveCriteriaChange(app.database.db, { kind: 'minimums', minimums: { fit: 10, engagement: 40 } }, marketer, clock)).ok,
    ).toBe(true);
    clock = new Date('2026-12-20T10:00:00Z'); // the form is 30 days old: half its points
    const reply = readable(await ask(app.t, app.fakeSlack, 'score jane-1'));
    expect(reply).toContain(
      'Score *45* (fit 15 · engagement 30): *not qualified* (needs `fit &gt;= 10 and engagement &gt;= 40`) · stage *mql* · criteria version 3',
    );
    expect(reply).toContain(
      `_Engagement points halve every 30 days; this score next changes in 1 d (<!date^${Date.parse('2026-12-21T10:00:00Z') / 1000}^{date_short_pretty} {time}|2026-12-21 10:00 UTC>)._`,
    );
    expect(reply).toContain('• +15 Submitted a form · 30 d ago (decayed from +30) — `events.form_submit &gt;= 1`');
    expect(reply).toContain(
      '• +15 Engaged on site · 26 min on site · 30 d ago (decayed from +30) — `"Total Time Spent on Website" &gt;= 900`',
    );
    expect(reply).toContain('• +15 VP · VP of Sales — `title contains vp`');
  });

  it('finds a lead by external id and says when no rule matches', async () => {
    await app.t.api('/api/leads', { source: 'crm', externalId: 'cold 7', attributes: { TotalVisits: 1 } });
    const reply = readable(await ask(app.t, app.fakeSlack, 'score "cold 7"'));
    expect(reply).toContain('Score *0* (fit 0 · engagement 0): *not qualified* (needs `total &gt;= 30`) · stage *lead*');
    expect(reply).toContain('_No rule matches this lead._');
  });

  it('scores with the active criteria and shows the stored score while re-scoring has not caught up', async () => {
    const saved = await saveCriteriaChange(app.database.db, { kind: 'threshold', threshold: 80 }, 'UMARKETER', clock);
    expect(saved.ok).toBe(true);
    const reply = readable(await ask(app.t, app.fakeSlack, 'score jane-1'));
    expect(reply).toContain(
      'Score *75* (fit 15 · engagement 60): *not qualified* (needs `total &gt;= 80`) · stage *mql* · criteria version 2',
    );
    expect(reply).toContain('_Stored score: 75 by criteria version 1; background re-scoring brings it up to date._');
  });

  it('names the other leads that share the email', async () => {
    await app.t.api('/api/leads', { source: 'crm', externalId: 'j-2', email: 'jane@example.com' });
    const reply = readable(await ask(app.t, app.fakeSlack, 'score JANE@example.com'));
    expect(reply).toContain('(source `crm`, id `j-2`)');
    expect(reply).toContain('_1 more lead matches `JANE@example.com`: `web`/`jane-1`_');
  });

  it('says what was wrong when the lead is unknown or the argument is missing', async () => {
    const unknown = readable(await ask(app.t, app.fakeSlack, 'score nobody@example.com'));
    expect(unknown).toContain(':warning: no stored lead has the email or external id `nobody@example.com`');
    expect(unknown).toContain('Use: `/mql score &lt;email | external id&gt;`');
    expect(readable(await ask(app.t, app.fakeSlack, 'score'))).toContain('missing the email or external id of the lead');
    expect(readable(await ask(app.t, app.fakeSlack, 'score cold 7'))).toContain(
      'expected one email or external id, not `cold 7` (quote an id with spaces)',
    );
  });
});
