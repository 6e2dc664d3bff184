import { afterEach, vi } from 'vitest';
import { rescoringIdle } from '../../src/leads/rescore.js';
import { ingestLeads } from '../../src/leads/ingest.js';
import type { LeadInput } from '../../src/leads/input.js';
import { useTestApp } from '../helpers/use-test-app.js';

export const MARKETER = 'UMARKETER';
export const MARKETER2 = 'UMARKETER2';

const lead = (externalId: string, attributes: LeadInput['attributes'] = {}): LeadInput => ({ source: 'web', externalId, attributes });

/**
 * The app the criteria tests (criteria-commands, criteria-rescore) run against: two marketers, a clean database
 * before each test, mocks restored and re-scoring finished after it.
 */
export function useCriteriaApp() {
  const app = useTestApp({ env: { MQL_MARKETERS: `${MARKETER},${MARKETER2}` }, resetBeforeEach: true });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rescoringIdle(app.database);
  });

  /** Four leads stored without posting: under the defaults only `hot` qualifies (Inquiry form, 40 ≥ 30). */
  async function storeLeads() {
    await ingestLeads(
      app.database.db,
      [
        lead('hot', { 'Lead Origin': 'Lead Add Form' }),
        lead('warm', { 'Total Time Spent on Website': 700 }),
        lead('warm2', { 'Total Time Spent on Website': 700, TotalVisits: 6 }),
        lead('cold', { TotalVisits: 1 }),
      ],
      { now: new Date('2026-11-01T10:00:00Z'), actor: 'test', queuePosts: false },
    );
  }

  return { app, storeLeads };
}
