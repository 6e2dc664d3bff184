import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaQualify = criteriaChangeCommand({
  words: ['criteria', 'qualify'],
  usage: '/mql criteria qualify total >= <n> | fit >= <n> and engagement >= <n>',
  example: '/mql criteria qualify fit >= 20 and engagement >= 30',
  summary: 'what a lead needs to qualify: a total, or a minimum on each axis (fit: who they are, engagement: what they did) (marketers)',
  parse: CHANGE_PARSERS.qualify,
});
