/** Every `/mql` subcommand with one example; the planned ones are listed so users know what's coming. */
export const HELP_LINES = [
  ['help', '/mql help', 'this list'],
  ['criteria', '/mql criteria', 'the active scoring rules and threshold'],
  ['criteria add', '/mql criteria add "Total Time Spent on Website" > 600 20 as "Engaged on site"', 'add a rule (marketers)'],
  ['criteria remove', '/mql criteria remove 7', 'remove a rule by id (marketers)'],
  ['criteria threshold', '/mql criteria threshold 40', 'set the qualifying score (marketers)'],
  ['criteria test', '/mql criteria test', 'backtest the criteria over stored leads'],
  ['score', '/mql score jane@example.com', "explain a lead's score"],
  ['stats', '/mql stats 7', 'handoff figures for the last N days'],
  ['stalled', '/mql stalled', 'leads past their claim or decision SLA'],
  ['digest now', '/mql digest now', "post the managers' digest now (managers)"],
] as const;

export function helpText(): string {
  return ['*`/mql` commands*', ...HELP_LINES.map(([, example, what]) => `• \`${example}\` — ${what}`)].join('\n');
}
