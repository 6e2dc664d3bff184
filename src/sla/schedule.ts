import cron, { type ScheduledTask } from 'node-cron';
import type { Deps } from '../deps.js';
import { startRescoring } from '../leads/rescore.js';
import { claimJobRun, findJobRun, jobRanBetween } from '../../db/queries/job-runs.js';
import { zonedParts, zonedTimeToInstant } from './clock.js';
import { postDigest } from './digest.js';
import { runSlaSweep } from './sweep.js';

/** A digest slot is named by its local wall-clock minute, e.g. `2026-11-23T09:00`: one post per slot. */
export function slotName(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The latest minute today (local) at or before `now` that the cron expression matches, if any. */
export function latestSlotToday(matcher: Pick<ScheduledTask, 'match'>, now: Date, timeZone: string): Date | null {
  const p = zonedParts(now, timeZone);
  const midnight = zonedTimeToInstant(p, 0, timeZone).getTime();
  for (let t = Math.floor(now.getTime() / 60_000) * 60_000; t >= midnight; t -= 60_000) {
    if (matcher.match(new Date(t))) return new Date(t);
  }
  return null;
}

/** Slack for "on time": a cron tick or sweep a little after the slot is not a late digest. */
const LATE_AFTER_MS = 2 * 60_000;

/**
 * Whether no process of the bot was running when a slot passed: this one started after it, and no replica's
 * minute sweep ran around it. A process that was up while its clock moved past the slot (a clock change, the
 * sandbox's "+1 day", a stalled event loop) was running: its late digest must not say otherwise.
 */
async function botWasDownAt(deps: Deps, slot: Date, runningSince: Date): Promise<boolean> {
  if (runningSince <= slot) return false;
  const around = (ms: number) => new Date(slot.getTime() + ms);
  return !(await jobRanBetween(deps.database.db, 'sla_sweep', around(-LATE_AFTER_MS), around(LATE_AFTER_MS)));
}

/**
 * Posts today's digest if its slot has passed and nobody posted it: marked late, saying whether the bot was
 * down then. Checked at start and by every sweep, so it also covers a cron tick lost to a busy process.
 * `runningSince` is when this process started, on its own clock.
 */
export async function catchUpDigest(deps: Deps, matcher: Pick<ScheduledTask, 'match'>, now: Date, runningSince: Date) {
  const { timeZone } = deps.config.digest;
  const slot = latestSlotToday(matcher, now, timeZone);
  if (!slot || now.getTime() - slot.getTime() < LATE_AFTER_MS) return null;
  const name = slotName(slot, timeZone);
  // A slot before the bot's first start was never missed: a new install does not open with a late digest.
  const installed = await findJobRun(deps.database.db, 'installed', 'first start');
  if (!installed || installed.startedAt > slot) return null;
  if (await findJobRun(deps.database.db, 'digest', name)) return null;
  const botWasDown = await botWasDownAt(deps, slot, runningSince);
  return postDigest(deps, now, name, { scheduledFor: `${name.replace('T', ' ')} ${timeZone}`, botWasDown });
}

export interface Schedules {
  /** Runs the every-minute work (SLA sweep, then the missed-digest check), then the hourly re-scoring, now. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Scores change with time alone (decay, events leaving a window): each lead's `rescore_due_at` says when.
 * Hourly is soon enough for day-sized decay steps; the run only touches leads that are due.
 */
const RESCORE_CRON = '0 * * * *';

/**
 * The SLA sweep every minute and the digest on DIGEST_CRON in TZ_DIGEST, both guarded in Postgres; re-scoring
 * of leads whose score changed with time every hour (safe to run on every replica: src/leads/rescore.ts).
 */
export function startSchedules(deps: Deps): Schedules {
  const runningSince = deps.now();
  const firstStart = claimJobRun(deps.database.db, 'installed', 'first start', runningSince);
  const { cron: expression, timeZone } = deps.config.digest;
  const log = deps.logger.child({ component: 'schedule' });
  const guard = (job: string, run: () => Promise<unknown>) => () =>
    run().catch((error: unknown) => log.error({ err: error, job }, 'scheduled job failed'));

  const digestTask = cron.schedule(
    expression,
    guard('digest', () => postDigest(deps, deps.now(), slotName(deps.now(), timeZone))),
    { timezone: timeZone, name: 'digest', noOverlap: true },
  );
  const everyMinute = guard('sla_sweep', async () => {
    await runSlaSweep(deps, deps.now());
    await catchUpDigest(deps, digestTask, deps.now(), runningSince);
  });
  const sweepTask = cron.schedule('* * * * *', everyMinute, { name: 'sla_sweep', noOverlap: true });
  const rescoreTask = cron.schedule(RESCORE_CRON, () => startRescoring(deps), { name: 'rescore', noOverlap: true });
  void guard('digest_catch_up', async () => {
    await firstStart;
    await catchUpDigest(deps, digestTask, deps.now(), runningSince);
  })();
  return {
    async runNow() {
      await everyMinute();
      await startRescoring(deps);
    },
    async stop() {
      await digestTask.destroy();
      await sweepTask.destroy();
      await rescoreTask.destroy();
    },
  };
}
