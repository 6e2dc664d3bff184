import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaAdd = criteriaChangeCommand({
  words: ['criteria', 'add'],
  usage: '/mql criteria add <field> [in <duration>] <op> <value> <points> [fit|engagement] [as "label"] [--new-field]',
  example: '/mql criteria add "Total Time Spent on Website" > 600 20 as "Engaged on site"',
  summary:
    'add a scoring rule; ops = != > >= < <= in exists, contains (whole words) and includes (any text); `events.form_submit in 30d` counts only recent events; `fit` or `engagement` sets the axis (marketers)',
  parse: CHANGE_PARSERS.add,
});
