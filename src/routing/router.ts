/*
 * The router: a loop that times out unanswered offers and makes the next offer of every lead whose turn it is.
 * It runs every few seconds and whenever woken (a lead handed over, a pass, a rep going away), on every replica:
 * row locks with SKIP LOCKED and the routing advisory lock keep replicas from offering a lead twice.
 */
import { startWakeableLoop } from '../wakeable-loop.js';
import { listExpiredOffers, listHandoffsAwaitingOffer, lockHandoffUnlessBusy, lockOffer, routeLookup } from '../../db/queries/offers.js';
import type { Deps } from '../deps.js';
import { OFFER_DM_KEY } from '../outbox/messages.js';
import { endOffer } from './offer-answers.js';
import { offerNext, offersAllowedNow, ROUTER_ACTOR, type OfferStep } from './offer-service.js';

export interface RouterPass {
  timedOut: number;
  offered: number;
  opened: number;
  /** Leads of routes with `hours`, waiting for business hours. */
  waiting: number;
}

const BATCH = 100;
const TICK_MS = 5000;

/** Times out one offer whose time ran out, unless another replica is busy with its lead (it is then left to the next pass). */
async function timeOut(deps: Deps, offerId: number, handoffId: number, now: Date): Promise<boolean> {
  return deps.database.db.transaction(async (tx) => {
    if (!(await lockHandoffUnlessBusy(tx, handoffId))) return false;
    const offer = await lockOffer(tx, offerId);
    if (offer?.status !== 'open' || offer.expiresAt > now) return false;
    await endOffer(tx, offer, 'timed_out', ROUTER_ACTOR, now);
    return true;
  });
}

/**
 * One pass: times out the offers whose time ran out at `now` (and whose DM was sent), then makes the next offer
 * of every lead that is being offered one rep at a time and has no open offer. A lead that fails is logged and
 * left to the next pass; the others go on.
 */
export async function runRouterPass(deps: Deps, now: Date): Promise<RouterPass> {
  const db = deps.database.db;
  const pass: RouterPass = { timedOut: 0, offered: 0, opened: 0, waiting: 0 };
  const steps: Record<OfferStep, keyof RouterPass | null> = { offered: 'offered', opened: 'opened', waiting: 'waiting', skipped: null };
  for (;;) {
    const expired = await listExpiredOffers(db, now, BATCH, OFFER_DM_KEY);
    let ended = 0;
    for (const offer of expired) {
      if (await attempt(deps, offer.handoffId, () => timeOut(deps, offer.id, offer.handoffId, now))) ended++;
    }
    pass.timedOut += ended;
    if (expired.length < BATCH || ended === 0) break;
  }
  const routeOf = routeLookup(db);
  for (let afterId = 0; ; ) {
    const due = await listHandoffsAwaitingOffer(db, afterId, BATCH);
    for (const h of due) {
      // Leads waiting for business hours are many overnight: they are counted without reading each one.
      const route = await routeOf(h);
      const step =
        route && !offersAllowedNow(deps, route, now)
          ? 'waiting'
          : await attempt(deps, h.id, () => offerNext(deps, h.id, { expected: h.offerMode }, now, routeOf));
      const counted = step && steps[step];
      if (counted) pass[counted]++;
    }
    if (due.length < BATCH) break;
    afterId = due.at(-1)!.id;
  }
  if (pass.timedOut || pass.offered || pass.opened) deps.wakeOutbox();
  return pass;
}

function isOneOpenOfferConflict(error: unknown): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const e = cause as { code?: string; constraint_name?: string; constraint?: string };
  return e?.code === '23505' && (e.constraint_name ?? e.constraint) === 'offers_one_open_per_handoff';
}

async function attempt<T>(deps: Deps, handoffId: number, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    // Another replica made this lead's offer first (the one-open-offer index): nothing went wrong.
    if (isOneOpenOfferConflict(error)) return null;
    deps.logger.error({ err: error, handoffId }, 'routing a lead failed; the next pass tries again');
    return null;
  }
}

export interface Router {
  /** Run a pass now rather than at the next tick (a lead was handed over, an offer passed). */
  wake(): void;
  /** Stops ticking and waits for the pass in flight. */
  stop(): Promise<void>;
  /** Runs one pass at `now`, after the one in flight (tests and the sandbox drive the clock by hand). */
  runNow(now: Date): Promise<RouterPass>;
}

/** Runs passes in the background, every few seconds and whenever woken; one at a time in this process. */
export function startRouter(deps: Deps, intervalMs = TICK_MS): Router {
  const loop = startWakeableLoop(async () => {
    await runRouterPass(deps, deps.now()).catch((error: unknown) => deps.logger.error({ err: error }, 'router pass failed'));
  }, intervalMs);
  return {
    wake: () => loop.wake(),
    stop: () => loop.stop(),
    async runNow(now) {
      await loop.idle();
      return runRouterPass(deps, now);
    },
  };
}
