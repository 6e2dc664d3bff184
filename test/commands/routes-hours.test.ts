import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, readable } from './helpers.js';

const app = useTestApp({ env: { BUSINESS_HOURS: 'Mon-Fri 09:00-18:00', TZ_DIGEST: 'Europe/Berlin' }, resetBeforeEach: true });

describe('/mql routes add … hours, with BUSINESS_HOURS set', () => {
  it('saves a route whose offers wait for business hours, and lists it so', async () => {
    const saved = readable(await ask(app.t, app.fakeSlack, 'routes add de when country = Germany to C0DE team U0ANA hours', 'UMANAGER'));
    expect(saved).toContain('*1.* `de when country = Germany` to <#C0DE> team <@U0ANA> mode round-robin hours');
    const [row] = await queryRows<{ routes: unknown }>(app.database.db, sql`select routes from routing_versions`);
    expect(row!.routes).toEqual([
      {
        name: 'de',
        conditions: [{ field: 'country', op: '=', value: 'Germany' }],
        channel: 'C0DE',
        team: { users: ['U0ANA'], groups: [], weights: {} },
        mode: 'round-robin',
        businessHours: true,
      },
    ]);
    expect(readable(await ask(app.t, app.fakeSlack, 'routes'))).toContain('mode round-robin hours');
  });
});
