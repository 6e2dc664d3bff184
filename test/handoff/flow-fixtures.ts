/** Shared by the handoff-flow tests (lifecycle, permissions). */
import { beforeAll } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { drain, eventually, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';

/** `minutes` after 2026-11-23 10:00 UTC, where each test's clock starts. */
export const at = (minutes: number) => new Date(Date.parse('2026-11-23T10:00:00Z') + minutes * 60_000);

/** The file's database and app, set once the app is up (live bindings: read them inside tests and hooks). */
export let database: TestDatabase;
export let t: TestApp;

/** The file's app, on the clock `now` reads, with a clean database before each test; and the steps most tests start with. */
export function useHandoffFlow(now: () => Date) {
  const app = useTestApp({ now, resetBeforeEach: true });
  const { fakeSlack } = app;
  beforeAll(() => {
    ({ database, t } = app);
  });

  async function postedLead(externalId: string) {
    const lead = await qualifyLead(t, externalId);
    await drain(t, now());
    const [handoff] = await handoffsOf(database, lead.id);
    return { lead, handoffId: String(handoff!.id) };
  }

  async function claim(handoffId: string, user: string) {
    fakeSlack.responses.length = 0;
    await t.click('mql_claim', handoffId, user);
    await eventually(
      () => rows(database, `select claimed_by from handoffs where id = ${handoffId}`),
      (r) => r[0]?.claimed_by === user,
    );
  }

  return { fakeSlack, postedLead, claim };
}
