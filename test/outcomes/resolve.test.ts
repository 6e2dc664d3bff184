import { describe, expect, it } from 'vitest';
import { resolveOutcomes, type OutcomeRequest, type StoredOutcome } from '../../src/outcomes/resolve.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const EARLIER = new Date('2026-11-20T10:00:00Z');
const request = (o: Partial<OutcomeRequest>): OutcomeRequest => ({
  leadId: 1,
  stage: 'won',
  amount: 1200,
  currency: 'EUR',
  reason: null,
  occurredAt: null,
  ...o,
});
const stored = (o: Partial<StoredOutcome>): StoredOutcome => ({ ...request({}), leadId: 1, occurredAt: EARLIER, ...o });

describe('resolveOutcomes', () => {
  it('dates an outcome sent without a time now, and keeps a given time', () => {
    expect(resolveOutcomes([request({}), request({ occurredAt: EARLIER })], [], NOW)).toEqual([
      { kind: 'new', occurredAt: NOW },
      { kind: 'new', occurredAt: EARLIER },
    ]);
  });

  it('takes an undated resend of the latest outcome of that stage for that outcome, not a new one', () => {
    expect(resolveOutcomes([request({})], [stored({})], NOW)).toEqual([{ kind: 'duplicate', occurredAt: EARLIER }]);
  });

  it('records an undated outcome that differs from the latest in amount, currency or reason', () => {
    for (const change of [{ amount: 1300 }, { currency: 'USD' }, { reason: 'renewal' }, { amount: null, currency: null }]) {
      expect(resolveOutcomes([request(change)], [stored({})], NOW)).toEqual([{ kind: 'new', occurredAt: NOW }]);
    }
  });

  it('compares with the latest outcome of the same lead and stage only', () => {
    expect(resolveOutcomes([request({ stage: 'lost' }), request({ leadId: 2 })], [stored({})], NOW).map((r) => r.kind)).toEqual([
      'new',
      'new',
    ]);
  });

  it('counts an outcome repeated within one request once', () => {
    const resolved = resolveOutcomes(
      [request({}), request({}), request({ occurredAt: EARLIER }), request({ occurredAt: EARLIER })],
      [],
      NOW,
    );
    expect(resolved.map((r) => r.kind)).toEqual(['new', 'duplicate', 'new', 'duplicate']);
  });

  it('lists an outcome of an unknown lead as such', () => {
    expect(resolveOutcomes([request({ leadId: null })], [], NOW)).toEqual([{ kind: 'unknown lead' }]);
  });
});
