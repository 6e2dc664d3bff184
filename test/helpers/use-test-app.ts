import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTestApp, type TestApp } from '../../harness/app.js';
import { createTestDatabase, resetDatabase, type TestDatabase } from './db.js';
import { createFakeSlack } from './fake-slack.js';

export interface TestAppOptions extends NonNullable<Parameters<typeof startTestApp>[1]> {
  /** Before each test: a clean database (`resetDatabase`) and a fake Slack with nothing recorded or scripted. */
  resetBeforeEach?: boolean;
}

/**
 * A test file's app: the Slack fake (listening before the app builds its clients), a database of its own,
 * and the app on a free port, all closed after the file. Read the fields inside tests and hooks.
 * Drive it with harness/ (`t.api`, `t.click`, `drain(t, now)`, …); another app on the same database (a
 * replica) is `startTestApp(database)`, stopped by the test that started it.
 */
export function useTestApp(options: TestAppOptions = {}) {
  const { resetBeforeEach, ...appOptions } = options;
  const fakeSlack = createFakeSlack();
  let started: { database: TestDatabase; t: TestApp } | undefined;
  const get = () => {
    if (!started) throw new Error('the test app starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    fakeSlack.listen();
    const database = await createTestDatabase();
    started = { database, t: await startTestApp(database, appOptions) };
  });
  afterAll(async () => {
    await started?.t.stop();
    await started?.database.close();
    fakeSlack.close();
  });

  /** A clean database and a fake Slack with nothing recorded or scripted; the app stays up. */
  const reset = async () => {
    await resetDatabase(get().database);
    fakeSlack.reset();
  };
  if (resetBeforeEach) beforeEach(reset);

  return {
    fakeSlack,
    get database() {
      return get().database;
    },
    get t() {
      return get().t;
    },
    reset,
    /** Stops the app and starts a new one on the same database, as after a crash or a deploy; `t` is the new one from then on. */
    async restart(): Promise<TestApp> {
      const current = get();
      await current.t.stop();
      current.t = await startTestApp(current.database, appOptions);
      return current.t;
    },
  };
}
