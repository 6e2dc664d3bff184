import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/use-test-app.js';

const lead = (externalId: string) => ({ source: 'web', externalId, email: `${externalId}@example.com` });

// On a full disk PGlite fails writes with 53100 ("could not extend file …: No space left on device") while
// reads go on working. Filling a real disk is not portable, so the intake's transaction is made to fail that way.
describe('a full disk', () => {
  const ctx = useTestApp();

  it('answers 503 "disk full" to writes, and /healthz reports it until a write succeeds', async () => {
    const { t, database } = ctx;
    const db = database.db as unknown as { transaction: unknown };
    const transaction = db.transaction;
    db.transaction = () =>
      Promise.reject(Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), { code: '53100' }));
    try {
      expect(await t.api('/api/leads', lead('full-1'))).toEqual({ status: 503, body: { error: 'disk full' } });
      const health = await t.api('/healthz');
      expect(health).toMatchObject({ status: 503, body: { status: 'unhealthy', database: 'disk full', migrations: 'current' } });
      expect(health.body.error).toMatch(/^disk full since /);
      // A refused write (400) says nothing about the disk either.
      expect((await t.api('/api/leads', { source: 'web' })).status).toBe(400);
      expect((await t.api('/healthz')).status).toBe(503);
    } finally {
      db.transaction = transaction;
    }
    expect((await t.api('/api/leads', lead('full-2'))).status).toBe(200);
    expect(await t.api('/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', database: 'ok', migrations: 'current', slack: 'unchecked' },
    });
  });
});
