import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, count, readable } from './helpers.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const MANAGER = 'UMANAGER';
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
const say = (text: string, user = MANAGER) => ask(app.t, app.fakeSlack, text, user);

const versions = () =>
  queryRows<{ version: number; created_by: string; change: string; routes: Array<{ name: string }> }>(
    app.database.db,
    sql`select version, created_by, change, routes from routing_versions order by version`,
  );

/** Version 1 adds emea, 2 adds us, 3 removes emea. */
async function threeVersions() {
  await say('routes add emea when country in "Germany, France" to C0EMEA');
  await say('routes add us when country = "United States" to C0US');
  await say('routes remove emea');
}

describe('/mql routes history (anyone)', () => {
  it('lists the versions newest first: number, who, when, the change and the routes each holds', async () => {
    await threeVersions();
    const reply = await say('routes history', 'UREP1');
    expect(reply.response_type).toBe('ephemeral');
    const text = readable(reply);
    expect(text).toContain('*Routes history* — all 3 versions, newest first');
    expect(text).toMatch(/\*Version 3\* \(active\) — <@UMANAGER>, <!date\^\d+\^[^>]+>: remove emea \(number 1\)\n\s+1 route: us/);
    expect(text).toMatch(/\*Version 2\* — <@UMANAGER>, <!date[^>]+>: add us as number 2\n\s+2 routes: emea, us/);
    expect(text.indexOf('*Version 3*')).toBeLessThan(text.indexOf('*Version 1*'));
    expect(text).toContain('`/mql routes revert &lt;version&gt;` (managers)');
    expect(blockKitViolations(reply.blocks ?? [])).toEqual([]);
  });

  it('shows the newest n and counts the older ones; says so when there are none; refuses a non-number', async () => {
    expect(readable(await say('routes history'))).toContain('*Routes history* — no versions yet: every lead takes the default route.');
    await threeVersions();
    const two = readable(await say('routes history 2'));
    expect(two).toContain('the newest 2 of 3 versions');
    expect(two).toContain('…and 1 older version (before version 2)');
    expect(two).not.toContain('*Version 1*');
    expect(readable(await say('routes history lots'))).toContain('`lots` is not a number of versions like 5');
  });
});

describe('/mql routes revert (managers)', () => {
  it("saves a new version with the old version's routes, audited as a routing change", async () => {
    await threeVersions();
    const text = readable(await say('routes revert 2'));
    expect(text).toContain(':white_check_mark: Routing version 4: revert to version 2. The routes now:');
    expect(text).toMatch(
      /\*1\.\* `emea when country in "Germany, France"` to <#C0EMEA> mode claim\n\*2\.\* `us when country = "United States"`/,
    );
    expect(text).toContain('*default:* everything else → <#CSALES>');
    const all = await versions();
    expect(all.at(-1)).toMatchObject({ version: 4, created_by: MANAGER, change: 'revert to version 2' });
    expect(all[3]!.routes).toEqual(all[1]!.routes);
    const audit = await queryRows(
      app.database.db,
      sql`select actor, from_state, to_state, details from audit_log where action = 'routing.changed' order by id desc limit 1`,
    );
    expect(audit).toEqual([{ actor: MANAGER, from_state: '3', to_state: '4', details: { change: 'revert to version 2' } }]);
    // The routes list and the history say the same.
    expect(readable(await say('routes', 'UREP1'))).toContain('revert to version 2');
  });

  it('refuses the active version, an unknown one, a non-number and no versions at all, changing nothing', async () => {
    expect(readable(await say('routes revert 1'))).toContain(
      'there are no routing versions yet, so there is none to go back to; nothing was changed',
    );
    await threeVersions();
    const cases: Array<[string, string]> = [
      [
        'routes revert 3',
        'version 3 is the active version; name an earlier one (`/mql routes history` lists the versions); nothing was changed',
      ],
      [
        'routes revert v9',
        'there is no version 9; the versions are 1 to 3 (`/mql routes history` lists the versions); nothing was changed',
      ],
      ['routes revert latest', '`latest` is not a version number like 3'],
      ['routes revert', 'missing the version to go back to'],
      ['routes revert 1 2', 'expected only the version number, not `1 2`'],
    ];
    for (const [command, message] of cases) {
      const shown = readable(await say(command));
      expect(shown, command).toContain(message);
      expect(shown, command).toContain('Use: `/mql routes revert &lt;version&gt;`');
    }
    expect(await count(app.database.db, 'routing_versions')).toBe(3);
  });

  it('is refused to anyone but a manager', async () => {
    await threeVersions();
    expect(readable(await say('routes revert 1', 'UREP1'))).toMatch(/^:no_entry: Only managers may use `\/mql routes revert`/);
    expect(await count(app.database.db, 'routing_versions')).toBe(3);
  });
});
