/* A failed query's parameters (every lead's email, megabytes of data) never reach a log line; lines stay small. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { ingestLeads } from '../src/leads/ingest.js';
import type { LeadInput } from '../src/leads/input.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('logging a failed 8 MB batch', () => {
  it('writes lines under 10 KB with no email, still saying what failed', async () => {
    // 1,000 leads with emails and 8 KB each; one attribute holds a NUL, which Postgres refuses in jsonb.
    const leads: LeadInput[] = Array.from({ length: 1000 }, (_, i) => ({
      source: 'web',
      externalId: `big-${i}`,
      email: `person${i}@example.com`,
      attributes: { note: 'x'.repeat(8 * 1024), ...(i === 999 ? { bad: 'a\u0000b' } : {}) },
    }));
    const failure = await ingestLeads(database.db, leads, { now: new Date(), actor: 'api', queuePosts: true }).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message.length).toBeGreaterThan(8_000_000);

    const { logger, lines } = capture();
    logger.error({ err: failure, method: 'POST', path: '/api/leads' }, 'HTTP handler failed');
    logger.error({ err: failure });
    logger.error(failure);
    logger.warn({ reason: failure!.message }, 'dropped');
    logger.child({ component: 'bolt' }).error(String(failure));
    logger.info({ body: { leads } }, 'a request body');

    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line.length).toBeLessThan(10_000);
      expect(line).not.toMatch(/@example\.com/);
      expect(line).not.toContain('x'.repeat(2_001));
    }
    const [first] = lines.map((l) => JSON.parse(l));
    expect(first.msg).toBe('HTTP handler failed');
    expect(first.err.message).toMatch(/^Failed query: [\s\S]*\bleads\b[\s\S]*\n\(params not logged\)$/);
    expect(first.err.cause).toMatchObject({ code: '22P05' });
    expect(first.err.stack).toMatch(/^Error: Failed query: [\s\S]*\n\(params not logged\)\n {4}at /);
    expect(JSON.parse(lines[1]!).msg).toMatch(/^Failed query/);
  });

  it('caps any logged string, array and object, and keeps __proto__ as a key', () => {
    const { logger, lines } = capture();
    logger.info({ note: 'y'.repeat(1_000_000), list: Array.from({ length: 10_000 }, (_, i) => i) }, 'z'.repeat(100_000));
    logger.info(JSON.parse('{"__proto__": {"polluted": true}}'), 'odd keys');
    expect(lines[0]!.length).toBeLessThan(10_000);
    const line = JSON.parse(lines[0]!);
    expect(line.msg).toMatch(/^z{2000}… \[98000 more characters not logged\]$/);
    expect(line.list).toHaveLength(51);
    expect(lines[1]).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
