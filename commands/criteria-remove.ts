import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaRemove = criteriaChangeCommand({
  words: ['criteria', 'remove'],
  usage: '/mql criteria remove <id>',
  example: '/mql criteria remove 7',
  summary: 'remove a rule by the id `/mql criteria` shows (marketers)',
  parse: CHANGE_PARSERS.remove,
});
