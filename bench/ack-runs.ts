import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BUSY_MESSAGE } from '../src/slack/work-queue.js';
import { percentile } from './section.js';
import { BENCH_SIGNING_SECRET } from './spawn.js';

/*
 * One sustained load of one kind of Slack request against one app (the bot or the bare Bolt app), from a
 * process of its own (bench/ack-load.mjs), and what came of it: ack times, and the answers the app owed.
 */

export const CLIENTS = 50;
/** Each app is loaded in turns of this long, taking turns with the other, so the machine's busy moments fall on both. */
export const TURNS = 2;
export const WARMUP_MS = 2_000;
export const MEASURE_MS = 4_000;
/** How many reps click each lead at once: one wins, the others are told who did. */
export const CLICKS_PER_LEAD = 5;
/** How long an app may take to send its answers through response_url once the load stops. */
const ANSWERS_WITHIN_MS = 120_000;
const LOAD = fileURLToPath(new URL('./ack-load.mjs', import.meta.url));

export type Kind = 'command' | 'click' | 'modal';
export const KIND_NAMES: Record<Kind, string> = { command: 'slash command', click: 'button click', modal: 'modal submission' };

/** A lead the load is about: its handoff, and for a modal submission the rep who holds it. */
export interface Lead {
  handoffId: number;
  userId?: string;
}

/** What bench/ack-load.mjs saw. */
export interface Load {
  latencies: number[];
  sent: number;
  failed: number;
  slow: number;
  /** Acks that said the app was too busy to do it. */
  busy: number;
  perTarget: Record<string, number>;
}

/** An app under load: where it listens, the leads (handoff ids) it has let someone claim, what it logged. */
export interface Target {
  name: string;
  base: string;
  claimed(): Promise<Set<string>>;
  output(): string;
}

/** Lines the bot (pino: level 50 and up) or Bolt's console logger logged as errors. */
export const errorLines = (output: string) => output.split('\n').filter((line) => /"level":(50|60)|\[ERROR\]/.test(line));

export interface Run {
  load: Load;
  /** Told through response_url that the app was too busy to do it. */
  busyAnswers: number;
  /** Answers through response_url that should have come and did not, or came and should not have. */
  wrongAnswers: number;
  /** Errors the app logged meanwhile (work that failed: its user was told something went wrong). */
  errors: number;
}

/** Answers through response_url, counted as the stub Slack receives them. */
export interface Answers {
  all: number;
  busy: number;
}

/** Waits until `done()` (or time runs out), then a moment more for any answer too many. */
async function settle(done: () => Promise<boolean>) {
  const deadline = Date.now() + ANSWERS_WITHIN_MS;
  while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 500));
}

/** `CLIENTS` connections of one kind of request against `target`, from their own process. */
export async function sustain(target: Target, responseUrl: string, kind: Kind, targets: Lead[], answers: Answers): Promise<Run> {
  const before = { ...answers, errors: errorLines(target.output()).length, claimed: kind === 'click' ? await target.claimed() : new Set() };
  const args = {
    url: `${target.base}/slack/events`,
    secret: BENCH_SIGNING_SECRET,
    responseUrl,
    kind,
    clients: CLIENTS,
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
    targets,
    clicksPerLead: CLICKS_PER_LEAD,
    busyText: BUSY_MESSAGE,
  };
  const { stdout } = await promisify(execFile)(process.execPath, [LOAD, JSON.stringify(args)], { maxBuffer: 64 * 1024 * 1024 });
  const load = JSON.parse(stdout) as Load;
  load.latencies.sort((a, b) => a - b);
  const taken = load.sent - load.failed;
  const answered = () => answers.all - before.all;
  // Every command taken is answered through response_url (unless its ack said busy); every click taken is,
  // but for each lead's one winning click; a submission is answered in its ack (or, late, by DM).
  const winners = async () => {
    const claimed = await target.claimed();
    return Object.keys(load.perTarget).filter((id) => claimed.has(id) && !before.claimed.has(id)).length;
  };
  const unanswered = async () => {
    if (kind === 'command') return taken - load.busy - answered();
    if (kind === 'click') return taken - (await winners()) - answered();
    return 0;
  };
  await settle(async () => (await unanswered()) <= 0);
  const result = {
    load,
    busyAnswers: answers.busy - before.busy,
    wrongAnswers: Math.abs(await unanswered()),
    errors: errorLines(target.output()).length - before.errors,
  };
  const { sent, failed, slow } = load;
  console.error(
    `  ${target.name}, ${KIND_NAMES[kind]}: ${sent} sent, p99 ${Math.round(percentile(load.latencies, 0.99))} ms, ${failed} not 200, ${slow} over 3 s, ${load.busy + result.busyAnswers} told busy, ${result.wrongAnswers} answers wrong or missing, ${result.errors} errors logged`,
  );
  return result;
}

/** The turns of one app as one run. */
export function together(runs: Run[]): Run {
  const sum = (of: (r: Run) => number) => runs.reduce((total, r) => total + of(r), 0);
  const perTarget: Record<string, number> = {};
  for (const r of runs) for (const [id, n] of Object.entries(r.load.perTarget)) perTarget[id] = (perTarget[id] ?? 0) + n;
  return {
    load: {
      latencies: runs.flatMap((r) => r.load.latencies).sort((a, b) => a - b),
      sent: sum((r) => r.load.sent),
      failed: sum((r) => r.load.failed),
      slow: sum((r) => r.load.slow),
      busy: sum((r) => r.load.busy),
      perTarget,
    },
    busyAnswers: sum((r) => r.busyAnswers),
    wrongAnswers: sum((r) => r.wrongAnswers),
    errors: sum((r) => r.errors),
  };
}
