import { describe, expect, it } from 'vitest';
import { routeByPerson, type RoutedLead } from '../../src/leads/person-routing.js';

const lead = (id: number, emailKey: string | null, extra: Partial<RoutedLead> = {}): RoutedLead => ({
  id,
  emailKey,
  wantsHandoff: false,
  newEvents: false,
  withSales: false,
  ...extra,
});

describe('routeByPerson', () => {
  it('hands over a qualifying lead unless another lead of the person has an open handoff', () => {
    const routes = routeByPerson(
      [lead(1, 'ana@x', { wantsHandoff: true }), lead(2, 'bo@x', { wantsHandoff: true }), lead(3, null, { wantsHandoff: true })],
      new Map([['ana@x', 9]]),
    );
    expect([...routes.handOver]).toEqual([2, 3]);
    expect([...routes.merge]).toEqual([[1, 'ana@x']]);
  });

  it('hands over the first of a person in a batch and merges the others, including ones listed before it', () => {
    const routes = routeByPerson(
      [lead(1, 'ana@x', { newEvents: true }), lead(2, 'ana@x', { wantsHandoff: true }), lead(3, 'ana@x', { wantsHandoff: true })],
      new Map(),
    );
    expect([...routes.handOver]).toEqual([2]);
    expect([...routes.merge]).toEqual([
      [1, 'ana@x'],
      [3, 'ana@x'],
    ]);
  });

  it('merges nothing without news, and never a lead that is with sales itself or holds the handoff', () => {
    const routes = routeByPerson(
      [lead(1, 'ana@x'), lead(2, 'ana@x', { newEvents: true, withSales: true }), lead(9, 'ana@x', { newEvents: true })],
      new Map([['ana@x', 9]]),
    );
    expect(routes).toEqual({ handOver: new Set(), merge: new Map() });
  });
});
