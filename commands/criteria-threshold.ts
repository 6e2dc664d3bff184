import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaThreshold = criteriaChangeCommand({
  words: ['criteria', 'threshold'],
  usage: '/mql criteria threshold <n>',
  example: '/mql criteria threshold 40',
  summary: 'set the score a lead needs to qualify (marketers)',
  parse: CHANGE_PARSERS.threshold,
});
