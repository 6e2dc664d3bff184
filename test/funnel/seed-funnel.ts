import type { Database } from '../../db/client.js';
import { handoffs, leadOutcomes, leads, type OutcomeStage } from '../../db/schema.js';

const DAY = 24 * 3600_000;

/**
 * A small history seen from `now`: lead A (web) qualified under version 4 20 days ago, was accepted by UANA
 * after 2 h, became an opportunity and was won; it qualified again yesterday (version 5). Lead B (ads, version 5)
 * was rejected by UBEN but the CRM made it an opportunity, later lost. Lead C (web, version 5) waits for a
 * claim. Lead D (web, version 4) qualified 40 days ago and was accepted by UCY.
 */
export async function seedFunnelHistory(database: Database, now: Date): Promise<void> {
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY + hours * 3600_000);
  const db = database.db;
  const lead = async (externalId: string, source: string) =>
    (
      await db
        .insert(leads)
        .values({ source, externalId, name: `Lead ${externalId}`, qualified: true, stage: 'mql' })
        .returning()
    )[0]!.id;
  const mql = (leadId: number, qualification: number, version: number, createdAt: Date, more: Partial<typeof handoffs.$inferInsert> = {}) =>
    db
      .insert(handoffs)
      .values({ leadId, qualification, score: 40, threshold: 30, criteriaVersion: version, createdAt, postedAt: createdAt, ...more });
  const outcome = (leadId: number, stage: OutcomeStage, occurredAt: Date) => db.insert(leadOutcomes).values({ leadId, stage, occurredAt });

  const [a, b, c, d] = [await lead('A', 'web'), await lead('B', 'ads'), await lead('C', 'web'), await lead('D', 'web')];
  await mql(a, 1, 4, ago(20), { decision: 'accepted', decidedAt: ago(20, 2), decidedBy: 'UANA', claimedBy: 'UANA' });
  await outcome(a, 'opportunity', ago(15, 2));
  await outcome(a, 'won', ago(5, 2));
  await mql(a, 2, 5, ago(1));
  await mql(b, 1, 5, ago(10), { decision: 'rejected', decidedAt: ago(10, 1), decidedBy: 'UBEN', claimedBy: 'UBEN', routeName: 'emea' });
  await outcome(b, 'opportunity', ago(8));
  await outcome(b, 'lost', ago(2));
  await mql(c, 1, 5, ago(3));
  await mql(d, 1, 4, ago(40), { decision: 'accepted', decidedAt: ago(40, 3), decidedBy: 'UCY' });
}
