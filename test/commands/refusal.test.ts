import { describe, expect, it } from 'vitest';
import { drain, handoffsOf, qualifyLead } from '../../harness/handoff.js';
import { ask } from './helpers.js';
import { useTestApp } from '../helpers/use-test-app.js';

const now = new Date('2026-11-23T10:00:00Z');
// A fresh install: nobody is a manager yet.
const app = useTestApp({ env: { MQL_MANAGERS: '' }, now: () => now });

describe('a refusal when nobody holds the role', () => {
  it('says nobody is set up and whom to ask, never the name of a setting', async () => {
    const refused = await ask(app.t, app.fakeSlack, 'stats', 'UREP1');
    expect(refused.text).toBe(
      ':no_entry: Only managers may use `/mql stats`. No managers are set up yet; ask whoever runs the bot. Nothing was done.',
    );

    const lead = await qualifyLead(app.t, 'nomgr');
    await drain(app.t, now);
    const [handoff] = await handoffsOf(app.database, lead.id);
    const before = app.fakeSlack.responses.length;
    await app.t.click('mql_reassign', String(handoff!.id), 'UREP1');
    const reply = (await app.fakeSlack.waitForResponses(before + 1))[before];
    expect(reply!.text).toBe(
      'Only managers can reassign. No managers are set up yet; ask whoever runs the bot. You can release a lead you hold.',
    );
    expect(`${refused.text} ${reply!.text}`).not.toMatch(/MQL_/);
  });
});
