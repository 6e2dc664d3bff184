import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../harness/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { createFakeSlack } from '../helpers/fake-slack.js';
import { eventually, qualifyLead, rows } from '../../harness/handoff.js';

const fakeSlack = createFakeSlack();
const started: Array<{ database: TestDatabase; t: TestApp }> = [];

beforeAll(() => fakeSlack.listen());
afterAll(async () => {
  for (const { t, database } of started) {
    await t.stop();
    await database.close();
  }
  fakeSlack.close();
});

/** A fresh database and its app; its first handoff has id 1, like every other fresh database's. */
async function freshApp() {
  const database = await createTestDatabase();
  const app = { database, t: await startTestApp(database) };
  started.push(app);
  return app;
}

const refreshes = (database: TestDatabase) => rows(database, `select dedupe_key from outbox where dedupe_key like 'update_mql:refresh:%'`);

/** Handoff 1 is claimed, then another rep clicks its outdated Claim button: the post must be refreshed. */
async function staleClaimClick({ database, t }: { database: TestDatabase; t: TestApp }) {
  await qualifyLead(t, 'same-id');
  await t.click('mql_claim', '1', 'UREP1');
  await eventually(
    () => rows(database, 'select claimed_by from handoffs where id = 1'),
    (r) => r[0]?.claimed_by === 'UREP1',
  );
  const answered = fakeSlack.responses.length;
  await t.click('mql_claim', '1', 'UREP2');
  await fakeSlack.waitForResponses(answered + 1);
}

it("queues each app's refresh of a stale post, though another app in the process used the same handoff id and version", async () => {
  const first = await freshApp();
  await staleClaimClick(first);
  expect(await refreshes(first.database)).toEqual([{ dedupe_key: 'update_mql:refresh:1:v1' }]);

  // A restart on a new database, or the next test file in this worker: ids start again at 1.
  const second = await freshApp();
  await staleClaimClick(second);
  expect(await refreshes(second.database)).toEqual([{ dedupe_key: 'update_mql:refresh:1:v1' }]);
});
