import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { createFakeSlack } from './fake-slack.js';

/**
 * A test file's app: the Slack fake (listening before the app builds its clients), a database of its own,
 * and the app on a free port, all closed after the file. Read the fields inside tests and hooks.
 */
export function useTestApp(options: Parameters<typeof startTestApp>[1] = {}) {
  const fakeSlack = createFakeSlack();
  let started: { database: TestDatabase; t: TestApp } | undefined;
  const get = () => {
    if (!started) throw new Error('the test app starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    fakeSlack.listen();
    const database = await createTestDatabase();
    started = { database, t: await startTestApp(database, options) };
  });
  afterAll(async () => {
    await started?.t.stop();
    await started?.database.close();
    fakeSlack.close();
  });
  return {
    fakeSlack,
    get database() {
      return get().database;
    },
    get t() {
      return get().t;
    },
  };
}
