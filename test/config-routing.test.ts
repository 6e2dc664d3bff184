import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { BASE, problems } from './config-fixtures.js';

describe('loadConfig: routing settings', () => {
  it('defaults: 5 min to answer an offer, no cap, DND ignored, no reassignment on a claim-SLA miss, a 7-day fairness window', () => {
    expect(loadConfig(BASE).routing).toEqual({
      offerTimeoutMs: 300_000,
      maxOpen: null,
      respectDnd: false,
      reassignOnClaimSla: false,
      fairnessWindowMs: 7 * 86_400_000,
    });
  });

  it('reads each setting (an empty cap means none)', () => {
    const config = loadConfig({
      ...BASE,
      OFFER_TIMEOUT: '90s',
      ROUTING_MAX_OPEN: '5',
      ROUTING_RESPECT_DND: 'true',
      REASSIGN_ON_CLAIM_SLA: 'yes',
      ROUTING_WINDOW: '1d',
    });
    expect(config.routing).toEqual({
      offerTimeoutMs: 90_000,
      maxOpen: 5,
      respectDnd: true,
      reassignOnClaimSla: true,
      fairnessWindowMs: 86_400_000,
    });
    expect(loadConfig({ ...BASE, ROUTING_MAX_OPEN: ' ' }).routing.maxOpen).toBeNull();
  });

  it.each([
    ['OFFER_TIMEOUT', 'soon', 'OFFER_TIMEOUT: "soon" is not a duration like 30s, 15m, 2h, 1d'],
    ['ROUTING_MAX_OPEN', 'five', 'ROUTING_MAX_OPEN: must be a whole number of open leads like 5'],
    ['ROUTING_MAX_OPEN', '2.5', 'ROUTING_MAX_OPEN: must be a whole number of open leads like 5'],
    ['ROUTING_MAX_OPEN', '0', 'ROUTING_MAX_OPEN: must be at least 1 (unset it for no cap)'],
    ['ROUTING_WINDOW', '0d', 'ROUTING_WINDOW: "0d" is not a duration like 30s, 15m, 2h, 1d'],
  ])('%s=%j is refused on its own line', (name, value, line) => {
    expect(problems({ ...BASE, [name]: value })).toEqual([line]);
  });

  it.each(['ROUTING_RESPECT_DND', 'REASSIGN_ON_CLAIM_SLA'])('%s=maybe is refused, naming the words it takes', (name) => {
    const lines = problems({ ...BASE, [name]: 'maybe' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${name}: .*"true".*"false"`));
  });
});
