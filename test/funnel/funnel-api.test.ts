/** GET /api/funnel on a real database: the figures of a seeded history, and answers to bad input (never 5xx). */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/use-test-app.js';
import { seedFunnelHistory } from './seed-funnel.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const app = useTestApp({ now: () => NOW });
beforeAll(() => seedFunnelHistory(app.database, NOW));

const funnel = async (query: string) => app.t.api(`/api/funnel${query}`);

describe('GET /api/funnel', () => {
  it('gives the last 30 days by criteria version: each MQL followed to today, the CRM outranking the rep', async () => {
    const { status, body } = await funnel('');
    expect(status).toBe(200);
    expect(body.from).toBe(new Date(NOW.getTime() - 30 * DAY).toISOString());
    expect(body.to).toBe(NOW.toISOString());
    expect(body.by).toBe('version');
    expect(body.total).toMatchObject({
      mqls: 4,
      accepted: 2,
      opportunities: 2,
      won: 1,
      rates: { mqlToSql: 50, sqlToOpportunity: 100, opportunityToWon: 50, mqlToWon: 25 },
    });
    expect(body.groups).toEqual([
      {
        key: '5',
        mqls: 3,
        accepted: 1,
        opportunities: 1,
        won: 0,
        rates: { mqlToSql: 33, sqlToOpportunity: 100, opportunityToWon: 0, mqlToWon: 0 },
        // B was rejected, so its SQL step starts at the MQL: 2 days to the opportunity.
        medianMs: { mqlToSql: null, sqlToOpportunity: 2 * DAY, opportunityToWon: null },
      },
      {
        key: '4',
        mqls: 1,
        accepted: 1,
        opportunities: 1,
        won: 1,
        rates: { mqlToSql: 100, sqlToOpportunity: 100, opportunityToWon: 100, mqlToWon: 100 },
        medianMs: { mqlToSql: 2 * HOUR, sqlToOpportunity: 5 * DAY, opportunityToWon: 10 * DAY },
      },
    ]);
  });

  it('groups by source, rep and route', async () => {
    const keys = async (by: string) => (await funnel(`?by=${by}`)).body.groups.map((g: { key: string; mqls: number }) => [g.key, g.mqls]);
    expect(await keys('source')).toEqual([
      ['web', 3],
      ['ads', 1],
    ]);
    expect(await keys('rep')).toEqual([
      ['nobody', 2],
      ['UANA', 1],
      ['UBEN', 1],
    ]);
    expect(await keys('route')).toEqual([
      ['default', 3],
      ['emea', 1],
    ]);
  });

  it('takes a period as dates or date-times, to exclusive', async () => {
    const older = await funnel('?from=2026-10-01&to=2026-10-20T00:00:00Z&by=rep');
    expect(older.status).toBe(200);
    expect(older.body.from).toBe('2026-10-01T00:00:00.000Z');
    expect(older.body.groups).toMatchObject([{ key: 'UCY', mqls: 1, accepted: 1 }]);
    // D qualified at 2026-10-15T09:00Z: a period ending then leaves it out.
    expect((await funnel('?from=2026-10-01&to=2026-10-15T11:00:00%2B02:00')).body.total.mqls).toBe(0);
    // A qualified at 2026-11-04T09:00Z: `to` is exclusive, and `from` defaults to 30 days before `to`.
    expect((await funnel('?to=2026-11-04T09:00:00Z')).body).toMatchObject({ from: '2026-10-05T09:00:00.000Z', total: { mqls: 1 } });
    expect((await funnel('?to=2026-11-04T09:00:01Z')).body.total.mqls).toBe(2);
  });

  it('answers 400 naming the parameter, and 401 without the token', async () => {
    const fields = async (query: string) => {
      const res = await funnel(query);
      expect(res.status).toBe(400);
      return res.body.fields.map((f: { path: string }) => f.path);
    };
    expect(await fields('?from=yesterday')).toEqual(['query.from']);
    expect(await fields('?from=2026-02-30')).toEqual(['query.from']);
    expect(await fields('?from=2026-11-01&to=2026-11-01')).toEqual(['query.from']);
    expect(await fields('?from=2030-01-01')).toEqual(['query.from']);
    expect(await fields('?from=2024-01-01&to=2026-01-01')).toEqual(['query.to']);
    expect(await fields('?by=colour')).toEqual(['query.by']);
    expect(await fields('?to=0001-01-01')).toEqual(['query.to']);
    expect(await fields('?since=2026-01-01')).toEqual(['query.since']);
    expect((await funnel('?from=soon')).body.fields[0].message).toContain('ISO date');
    expect((await app.t.api('/api/funnel', undefined, { token: null })).status).toBe(401);
  });

  it('never answers 5xx, whatever the query', async () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('version', 'rep', '2026-11-01', '2026-11-01T00:00:00Z', '0001-01-01', '9999-12-31', '2026-11-24T09:00:00.000Z'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );
    const query = fc.dictionary(fc.constantFrom('from', 'to', 'by', 'x', ''), value, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        const { status } = await funnel(`?${new URLSearchParams(params)}`);
        expect([200, 400]).toContain(status);
      }),
      { numRuns: 80 },
    );
  });
});
