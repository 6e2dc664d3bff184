import { beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { drain, rows } from '../../harness/handoff.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { anaFromWeb, at, event, handoffOf, postsToSales, sendLead } from './person-fixtures.js';

const app = useTestApp({ now: () => at(0), env: { MERGE_PLUS_ADDRESSES: 'true' } });
let t: TestApp;
let database: TestDatabase;
beforeAll(() => {
  ({ t, database } = app);
});

it('with MERGE_PLUS_ADDRESSES=true, ana+events@ is Ana: her activity goes to her open handoff, not a second post', async () => {
  const web = await sendLead(t, anaFromWeb);
  const plus = await sendLead(t, {
    source: 'events',
    externalId: 'ev-1',
    email: 'Ana+Events@dupe.example',
    events: [event('form_submit', -5)],
  });
  expect(plus).toMatchObject({ stage: 'lead', queuedForSales: false });
  await drain(t, at(0));
  expect(postsToSales(app.fakeSlack)).toHaveLength(1);
  expect((await handoffOf(database, web.id)).history).toMatchObject([{ kind: 'activity', source: 'events', summary: 'submitted a form' }]);
  expect(await rows(database, `select email_key from leads where id = ${plus.id}`)).toEqual([{ email_key: 'ana@dupe.example' }]);
});
