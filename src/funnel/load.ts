import type { DbOrTx } from '../../db/client.js';
import { listFunnelCohort } from '../../db/queries/funnel.js';
import { funnelOf, type Funnel, type FunnelGrouping } from './funnel.js';

/** The funnel of the MQLs that qualified in [from, to), followed to today. */
export async function loadFunnel(db: DbOrTx, from: Date, to: Date, by: FunnelGrouping): Promise<Funnel> {
  const cohort = await listFunnelCohort(db, from, to);
  return funnelOf(cohort.handoffs, cohort.outcomes, by);
}
