import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { databaseFailure, failureReason } from '../../db/availability.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => new DrizzleQueryError('insert into leads …', ['secret@example.com'], cause as Error);

describe('databaseFailure', () => {
  it('recognises a full disk: PGlite/Postgres 53100 (as PGlite threw it on a full tmpfs), ENOSPC, the message', () => {
    const pglite = Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), {
      code: '53100',
      name: 'error',
    });
    expect(databaseFailure(pglite)).toBe('disk_full');
    expect(databaseFailure(wrapped(pglite))).toBe('disk_full');
    expect(databaseFailure(withCode('ENOSPC', 'ENOSPC: no space left on device, write'))).toBe('disk_full');
    expect(databaseFailure(new Error('could not write to file "pg_wal/xlogtemp.42": No space left on device'))).toBe('disk_full');
  });

  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', withCode('ECONNRESET')],
    ['socket timeout', withCode('ETIMEDOUT')],
    ['postgres.js connect timeout', withCode('CONNECT_TIMEOUT', 'write CONNECT_TIMEOUT 127.0.0.1:5432')],
    ['postgres.js connection closed', withCode('CONNECTION_CLOSED')],
    ['postgres.js connection destroyed', withCode('CONNECTION_DESTROYED')],
    ['class 08 (connection failure)', withCode('08006')],
    ['admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['starting up', withCode('57P03', 'the database system is starting up')],
    ['too many connections', withCode('53300')],
    ['statement timeout', withCode('57014', 'canceling statement due to statement timeout')],
    [
      'several addresses refused',
      Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]), { code: 'ECONNREFUSED' }),
    ],
    ['refused inside an AggregateError without a code', new AggregateError([withCode('ECONNREFUSED')])],
  ])('%s is "unavailable", bare and wrapped by drizzle', (_, error) => {
    expect(databaseFailure(error)).toBe('unavailable');
    expect(databaseFailure(wrapped(error))).toBe('unavailable');
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['invalid text', withCode('22P02')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is not a database outage', (_, error) => {
    expect(databaseFailure(error)).toBeNull();
    expect(databaseFailure(wrapped(error))).toBeNull();
  });

  it('survives a cycle of causes', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(databaseFailure(a)).toBeNull();
  });

  it('describes the failure by its innermost cause, never with the failed query or its parameters', () => {
    const reason = failureReason(wrapped(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')));
    expect(reason).toBe('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432');
    expect(reason).not.toContain('secret@example.com');
  });
});
