import { and, gte, lt } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { offers } from '../schema.js';

/** An offer as the routing figures count it. */
export type OfferOutcomeRow = Pick<typeof offers.$inferSelect, 'userId' | 'routeName' | 'status' | 'offeredAt' | 'answeredAt'>;

/** The offers made in [since, until), whatever became of them: what `/mql stats` and the digest count. */
export async function listOffersMade(db: DbOrTx, since: Date, until: Date): Promise<OfferOutcomeRow[]> {
  return db
    .select({
      userId: offers.userId,
      routeName: offers.routeName,
      status: offers.status,
      offeredAt: offers.offeredAt,
      answeredAt: offers.answeredAt,
    })
    .from(offers)
    .where(and(gte(offers.offeredAt, since), lt(offers.offeredAt, until)));
}
