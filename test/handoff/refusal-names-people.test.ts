import { describe, expect, it } from 'vitest';
import { drain, handoffsOf, qualifyLead } from '../../harness/handoff.js';
import { ask } from '../commands/helpers.js';
import { useTestApp } from '../helpers/use-test-app.js';

const now = new Date('2026-11-23T10:00:00Z');
// Managers are a user group: refusals name its members, never the setting (MQL_MANAGERS) or a bare group id.
const app = useTestApp({ env: { MQL_MANAGERS: 'S0MGR' }, now: () => now });

describe('refusals name the people who can help', () => {
  it('a rep who clicks Reassign hears which managers can, group members expanded', async () => {
    app.fakeSlack.respond('usergroups.users.list', () => ({ ok: true, users: ['ULEE', 'UKIM'] }));
    const lead = await qualifyLead(app.t, 'names1');
    await drain(app.t, now);
    const [handoff] = await handoffsOf(app.database, lead.id);
    const before = app.fakeSlack.responses.length;
    await app.t.click('mql_reassign', String(handoff!.id), 'UREP1');
    const reply = (await app.fakeSlack.waitForResponses(before + 1))[before];
    expect(reply!.text).toBe('Only managers (<@ULEE>, <@UKIM>) can reassign. You can release a lead you hold.');

    const refused = await ask(app.t, app.fakeSlack, 'stats', 'UREP1');
    expect(refused.text).toBe(':no_entry: Only managers may use `/mql stats`: <@ULEE>, <@UKIM>. Nothing was done.');
  });
});
