/** A lead of a batch, as far as deciding where its activity goes needs it. */
export interface RoutedLead {
  id: number;
  /** Its email key (src/leads/email-key.ts); null without an email. */
  emailKey: string | null;
  /** It qualifies for a handoff of its own (src/leads/qualification.ts). */
  wantsHandoff: boolean;
  /** It brought new events (a changed field, e.g. a CRM sync, is no signal of the person's). */
  newEvents: boolean;
  /** It is with sales itself (mql, claimed, accepted): its activity belongs to its own handoff. */
  withSales: boolean;
}

export interface PersonRoutes {
  /** Leads handed to sales: one per person. */
  handOver: Set<number>;
  /** Leads whose activity goes to the open handoff of another lead of the same person, by email key. */
  merge: Map<number, string>;
}

/**
 * One person, one open handoff. A lead is handed over when it qualifies and no other lead of the same person
 * has an open handoff (`openLeadByKey`: the lead holding it) or is handed over earlier in this batch. Any
 * other lead with new events whose person has an open handoff (or gets one in this batch) is merged into it.
 */
export function routeByPerson(leads: RoutedLead[], openLeadByKey: Map<string, number>): PersonRoutes {
  const handOver = new Set<number>();
  const holder = new Map(openLeadByKey);
  for (const lead of leads) {
    if (!lead.wantsHandoff) continue;
    if (lead.emailKey === null) {
      handOver.add(lead.id);
    } else if (!holder.has(lead.emailKey)) {
      handOver.add(lead.id);
      holder.set(lead.emailKey, lead.id);
    }
  }
  const merge = new Map<number, string>();
  for (const lead of leads) {
    if (handOver.has(lead.id) || lead.withSales || lead.emailKey === null || !(lead.wantsHandoff || lead.newEvents)) continue;
    const into = holder.get(lead.emailKey);
    if (into !== undefined && into !== lead.id) merge.set(lead.id, lead.emailKey);
  }
  return { handOver, merge };
}
