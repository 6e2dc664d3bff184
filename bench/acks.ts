import { BUSY_MESSAGE } from '../src/slack/work-queue.js';
import {
  CLICKS_PER_LEAD,
  CLIENTS,
  errorLines,
  KIND_NAMES,
  MEASURE_MS,
  sustain,
  together,
  TURNS,
  type Lead,
  WARMUP_MS,
  type Answers,
  type Kind,
  type Run,
  type Target,
} from './ack-runs.js';
import { botApi, type BotApi } from './bot-api.js';
import { percentile, type Measurement, type Section } from './section.js';
import { startSlackStub } from './slack-stub.js';
import { bareBolt, BENCH_LEAD_API_TOKEN, botEnv, entryArgs, onEachDatabase, startServer, type DatabaseKind, type Server } from './spawn.js';

/** Leads posted before the clicks; past the last, clicks come round to claimed leads again. */
const LEADS = 600;

function measurements(kind: Kind, bot: Run, bare: Run, database: string, how: string): Measurement[] {
  const name = KIND_NAMES[kind];
  const count = (n: number) => n.toLocaleString('en-US');
  const what = {
    command: '`/mql criteria`, answered through response_url',
    click: `Claim, ${CLICKS_PER_LEAD} reps on each of ${LEADS} leads at once; never two winners`,
    modal: 'reject modal submitted by the lead holder, lead after lead; never two rejections',
  }[kind];
  const timed = `${count(bot.load.latencies.length)} acks timed (bare Bolt ${count(bare.load.latencies.length)})`;
  const turns = `${TURNS} turns each, taking turns with the bare app, of ${WARMUP_MS / 1000} s warm-up and ${MEASURE_MS / 1000} s timed`;
  const note = `${CLIENTS} connections back to back, ${turns}; ${what}; ${timed}; bot ${how}`;
  const failures = (r: Run) => r.load.failed + r.load.slow + r.wrongAnswers + r.errors;
  const busy = bot.load.busy + bot.busyAnswers;
  const p = (r: Run, at: number) => percentile(r.load.latencies, at);
  return [
    {
      database,
      metric: `ack p99 ${name}`,
      value: p(bot, 0.99),
      unit: 'ms',
      floor: { value: p(bare, 0.99), label: 'bare Bolt' },
      target: { atMost: 1.2 },
      note,
    },
    { database, metric: `ack p50 ${name}`, value: p(bot, 0.5), unit: 'ms', floor: { value: p(bare, 0.5), label: 'bare Bolt' }, note },
    {
      database,
      metric: `ack failures ${name}`,
      value: failures(bot),
      unit: 'requests',
      target: { atMost: 0 },
      note: `of ${count(bot.load.sent)}: ${bot.load.failed} not 200, ${bot.load.slow} over 3 s, ${bot.wrongAnswers} answers wrong or missing, ${bot.errors} errors logged (bare Bolt: ${failures(bare)})`,
    },
    {
      database,
      metric: `told busy ${name}`,
      value: busy,
      unit: 'requests',
      note: `${((100 * busy) / Math.max(1, bot.load.sent)).toFixed(1)}% of ${count(bot.load.sent)}: acked, nothing done, asked to try again`,
    },
  ];
}

/** The guarantee load must not break: no lead claimed twice, none rejected twice. */
async function checkNeverTwice(api: BotApi, externalIdOf: Map<number, string>, clicked: string[], rejected: string[]) {
  const broken: string[] = [];
  const check = async (handoffId: string, action: string) => {
    const times = (await api.actionCounts(externalIdOf.get(Number(handoffId))!)).get(action) ?? 0;
    if (times > 1) broken.push(`handoff ${handoffId}: ${action} ${times} times`);
  };
  const checks = [...clicked.map((id) => [id, 'handoff.claim'] as const), ...rejected.map((id) => [id, 'handoff.reject'] as const)];
  for (let i = 0; i < checks.length; i += 10) await Promise.all(checks.slice(i, i + 10).map(([id, action]) => check(id, action)));
  if (broken.length) throw new Error(`a lead was acted on twice under load: ${broken.slice(0, 10).join('; ')}`);
}

async function acksOn(database: DatabaseKind): Promise<Measurement[]> {
  const answers: Answers = { all: 0, busy: 0 };
  let responsePath = '';
  const stub = await startSlackStub((call) => {
    // Calls outside /api/ are named by their path: these are the answers through response_url.
    if (call.method !== responsePath) return;
    answers.all++;
    if (JSON.stringify(call.args).includes(BUSY_MESSAGE)) answers.busy++;
  });
  responsePath = new URL(stub.responseUrl).pathname;
  const fresh = await database.fresh();
  const stops: (() => Promise<void>)[] = [];
  let botServer: Server | undefined;
  try {
    const entry = await entryArgs('src/server.ts');
    botServer = await startServer(entry.args, { ...botEnv(stub.apiUrl), ...fresh.env });
    stops.push(botServer.stop);
    const floor = bareBolt(stub.apiUrl);
    const bareServer = await startServer(floor.args, floor.env);
    stops.push(bareServer.stop);
    const api = botApi(botServer.base, BENCH_LEAD_API_TOKEN);
    await api.postQualifyingLeads(LEADS);
    const handoffs = await api.handoffs();
    const bot: Target = {
      name: 'bot',
      base: botServer.base,
      output: botServer.output,
      claimed: async () => new Set((await api.handoffs()).filter((h) => h.claimedBy).map((h) => String(h.id))),
    };
    const bare: Target = {
      name: 'bare Bolt',
      base: bareServer.base,
      output: bareServer.output,
      claimed: async () => new Set((await (await fetch(`${bareServer.base}/claimed`)).json()) as string[]),
    };
    const rows: Measurement[] = [];
    // In turns, each app's turn on leads it has not had yet (while there are any).
    const sideBySide = async (kind: Kind, leads: Lead[]) => {
      const turns = new Map<Target, Run[]>([
        [bare, []],
        [bot, []],
      ]);
      for (let turn = 0; turn < TURNS; turn++) {
        for (const [app, runs] of turns) {
          const had = new Set(runs.flatMap((r) => Object.keys(r.load.perTarget)));
          const fresh = leads.filter((l) => !had.has(String(l.handoffId)));
          runs.push(await sustain(app, stub.responseUrl, kind, fresh.length ? fresh : leads, answers));
        }
      }
      const [floorRun, botRun] = [together(turns.get(bare)!), together(turns.get(bot)!)];
      rows.push(...measurements(kind, botRun, floorRun, database.label, entry.how));
      return botRun;
    };
    await sideBySide('command', []);
    const clicks = await sideBySide(
      'click',
      handoffs.map((h) => ({ handoffId: h.id })),
    );
    const claimed = (await api.handoffs()).flatMap((h) => (h.claimedBy ? [{ handoffId: h.id, userId: h.claimedBy }] : []));
    if (claimed.length === 0) throw new Error('no lead was claimed by the clicks; nothing to submit the reject modal for');
    const modals = await sideBySide('modal', claimed);
    const externalIdOf = new Map(handoffs.map((h) => [h.id, h.externalId]));
    await checkNeverTwice(api, externalIdOf, Object.keys(clicks.load.perTarget), Object.keys(modals.load.perTarget));
    const errors = errorLines(botServer.output());
    if (errors.length)
      console.error(
        `  the bot's last errors:\n${errors
          .slice(-3)
          .map((line) => line.slice(0, 600))
          .join('\n')}`,
      );
    return rows;
  } catch (error) {
    // What the bot logged (warnings and worse) says why, when it is the bot that failed.
    throw new Error(`${(error as Error).message}\nthe bot's log ends:\n${botServer?.output().slice(-4000) ?? ''}`, { cause: error });
  } finally {
    for (const stop of stops.reverse()) await stop();
    await fresh.remove();
    await stub.close();
  }
}

/**
 * Ack latency at 50 connections sending signed requests back to back, per kind, for the bot as `npm start`
 * runs it and for a bare Bolt app on the same receiver settings, one after the other in the same run.
 */
export const acks: Section = {
  name: 'acks',
  perDatabase: false,
  run: () => onEachDatabase(acksOn),
};
