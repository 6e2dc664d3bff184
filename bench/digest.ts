import { auditLog, handoffs, leads } from '../db/schema.js';
import { startTestApp } from '../harness/app.js';
import { buildDigest } from '../src/sla/digest.js';
import { digestBlocks } from '../src/sla/digest-blocks.js';
import type { Section } from './section.js';

const HANDOFFS = 10_000;
const REPS = 25;
const REASONS = ['not_a_fit', 'bad_contact_data', 'no_budget', 'no_timing', 'duplicate', 'other'];

/** Builds the daily digest over 10,000 handoffs of the last week in every state. */
export const digest: Section = {
  name: 'digest',
  perDatabase: true,
  async run(database) {
    const now = new Date('2026-11-23T09:00:00Z');
    const t = await startTestApp(database, { env: { SLACK_API_URL: 'http://127.0.0.1:9/api/', BUSINESS_HOURS: 'Mon-Fri 09:00-18:00' } });
    try {
      const leadRows = await database.db
        .insert(leads)
        .values(
          Array.from({ length: HANDOFFS }, (_, i) => ({
            source: 'bench',
            externalId: `d-${i}`,
            name: `Lead ${i}`,
            company: `Co ${i % 50}`,
          })),
        )
        .returning({ id: leads.id });
      const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
      const rows = leadRows.map(({ id }, i) => {
        const posted = (i * 1.007) % (7 * 24 * 60);
        const state = i % 5; // unclaimed, claimed, accepted, rejected, released-and-open
        const claimed = state === 0 || state === 4 ? null : at(posted - 5 - (i % 90));
        const decided = state === 2 || state === 3 ? at(posted - 100 - (i % 600)) : null;
        return {
          leadId: id,
          qualification: 1,
          score: 40,
          threshold: 30,
          criteriaVersion: 1,
          channel: 'CSALES',
          messageTs: `1700000000.${String(i).padStart(6, '0')}`,
          postedAt: at(posted),
          claimableSince: at(posted),
          claimedBy: claimed ? `UREP${i % REPS}` : null,
          claimedAt: claimed,
          firstClaimedAt: claimed,
          decision: state === 2 ? ('accepted' as const) : state === 3 ? ('rejected' as const) : null,
          reasonCode: state === 3 ? REASONS[i % REASONS.length]! : null,
          decidedBy: decided ? `UREP${i % REPS}` : null,
          decidedAt: decided,
        };
      });
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += 1000) {
        const inserted = await database.db
          .insert(handoffs)
          .values(rows.slice(i, i + 1000))
          .returning({ id: handoffs.id });
        ids.push(...inserted.map((r) => r.id));
      }
      // The reports replay the audit trail (who claimed, released, decided), so the handoffs get theirs.
      const audit = rows.flatMap((h, i) => {
        const entry = (action: string, actor: string, at: Date, details: Record<string, unknown> = {}) => ({
          actor,
          action,
          entity: 'handoff',
          entityId: String(ids[i]),
          at,
          details: { leadId: h.leadId, ...details },
        });
        const rep = `UREP${i % REPS}`;
        if (i % 5 === 4) {
          const claimed = new Date(h.postedAt.getTime() + 5 * 60_000);
          return [entry('handoff.claim', rep, claimed), entry('handoff.release', rep, new Date(claimed.getTime() + 30 * 60_000))];
        }
        const steps = h.claimedAt ? [entry('handoff.claim', rep, h.claimedAt)] : [];
        if (h.decision === 'accepted') steps.push(entry('handoff.accept', rep, h.decidedAt!));
        if (h.decision === 'rejected') steps.push(entry('handoff.reject', rep, h.decidedAt!, { reason: h.reasonCode }));
        return steps;
      });
      for (let i = 0; i < audit.length; i += 1000) await database.db.insert(auditLog).values(audit.slice(i, i + 1000));

      await buildDigest(t.app.deps, now); // warm-up
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        digestBlocks(await buildDigest(t.app.deps, now));
        runs.push(performance.now() - started);
      }
      runs.sort((a, b) => a - b);
      return [
        {
          metric: 'digest build (query + figures + blocks)',
          value: runs[2]!,
          unit: 'ms',
          target: { atMost: 1000 },
          note: `median of 5, ${HANDOFFS.toLocaleString('en-US')} handoffs over 7 days, business hours on`,
        },
      ];
    } finally {
      await t.stop();
    }
  },
};
