import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaThreshold = criteriaChangeCommand({
  words: ['criteria', 'threshold'],
  usage: '/mql criteria threshold <n>',
  example: '/mql criteria threshold 40',
  summary: 'set the total score a lead needs to qualify; if minimums per axis were set, leads qualify on the total again (marketers)',
  parse: CHANGE_PARSERS.threshold,
});
