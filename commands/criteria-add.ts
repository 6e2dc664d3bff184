import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaAdd = criteriaChangeCommand({
  words: ['criteria', 'add'],
  usage: '/mql criteria add <field> <op> <value> <points> [as "label"]',
  example: '/mql criteria add "Total Time Spent on Website" > 600 20 as "Engaged on site"',
  summary: 'add a scoring rule; ops = != > >= < <= in contains exists (marketers)',
  parse: CHANGE_PARSERS.add,
});
