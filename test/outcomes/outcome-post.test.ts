/** A CRM outcome shows on the lead's post: a lead already won is not left looking like one to claim. */
import { describe, expect, it } from 'vitest';
import { drain, qualifyLead, rows } from '../../harness/handoff.js';
import { SALES_CHANNEL } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const app = useTestApp({ resetBeforeEach: true, now: () => NOW });

const lastPostUpdate = () => {
  const updates = app.fakeSlack.callsTo('chat.update').filter((c) => c.args.channel === SALES_CHANNEL);
  return JSON.stringify(updates.at(-1)?.args.blocks ?? null);
};

describe('a CRM outcome on the post', () => {
  it('updates the post of the lead with its CRM stage, once per change of stage', async () => {
    await qualifyLead(app.t, 'p1', {}, '2026-11-23T09:00:00Z');
    await drain(app.t, NOW);
    const send = (body: Record<string, unknown>) => app.t.api('/api/leads/p1/outcome?source=web', body);

    expect((await send({ stage: 'won', amount: 5000, currency: 'EUR', occurredAt: '2026-11-23T09:30:00Z' })).status).toBe(200);
    await drain(app.t, NOW);
    expect(lastPostUpdate()).toContain('CRM: *won* since <!date^');
    const updates = app.fakeSlack.callsTo('chat.update').length;

    // The same outcome again, or an older one that leaves the stage as it is: nothing to show, no update.
    await send({ stage: 'won', amount: 5000, currency: 'EUR', occurredAt: '2026-11-23T09:30:00Z' });
    await send({ stage: 'opportunity', occurredAt: '2026-11-20T09:00:00Z' });
    await drain(app.t, NOW);
    expect(app.fakeSlack.callsTo('chat.update')).toHaveLength(updates);
    expect(await rows(app.database, `select version from handoffs`)).toEqual([{ version: 1 }]);
  });
});
