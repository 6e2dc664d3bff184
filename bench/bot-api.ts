/*
 * What the ack benchmark needs from a bot running in its own process, through the bot's public HTTP API only
 * (the lead API and the read API, with the lead API's token): leads in, handoffs and their actions out.
 */

export const BENCH_SOURCE = 'bench';

export interface BotApi {
  /** Posts `count` leads that qualify on the default criteria; each is handed to sales. */
  postQualifyingLeads(count: number): Promise<void>;
  /** Every handoff: its id, who holds it, and its lead's external id. */
  handoffs(): Promise<{ id: number; claimedBy: string | null; externalId: string }[]>;
  /** How often each action ('handoff.claim', …) was taken on the lead's (first) handoff. */
  actionCounts(externalId: string): Promise<Map<string, number>>;
}

export function botApi(base: string, token: string): BotApi {
  async function call(path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
    return answer;
  }
  return {
    async postQualifyingLeads(count) {
      const occurredAt = new Date(Date.now() - 60_000).toISOString();
      const leads = Array.from({ length: count }, (_, i) => ({
        source: BENCH_SOURCE,
        externalId: `ack-${i}`,
        name: `Lead ${i}`,
        company: 'Acme',
        events: [{ type: 'form_submit', occurredAt }],
      }));
      const answer = await call('/api/leads', { leads });
      const queued = (answer.leads as { queuedForSales: boolean }[]).filter((l) => l.queuedForSales).length;
      if (queued !== count) throw new Error(`${queued} of ${count} bench leads were handed to sales`);
    },
    async handoffs() {
      const all: { id: number; claimedBy: string | null; externalId: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await call(`/api/handoffs?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        for (const h of page.handoffs) all.push({ id: h.id, claimedBy: h.claimedBy, externalId: h.lead.externalId });
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },
    async actionCounts(externalId) {
      const answer = await call(`/api/leads/${encodeURIComponent(externalId)}?source=${BENCH_SOURCE}`);
      const counts = new Map<string, number>();
      for (const a of answer.handoffs[0]?.actions ?? []) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
      return counts;
    },
  };
}
