import { criteriaChangeCommand } from './criteria-change.js';
import { CHANGE_PARSERS } from '../src/scoring/change-syntax.js';

export const criteriaDecay = criteriaChangeCommand({
  words: ['criteria', 'decay'],
  usage: '/mql criteria decay <days>d | half-life <days>d | window <days>d | off',
  example: '/mql criteria decay 30d',
  summary:
    'how engagement points fade with the age of what earned them: halve every 30 days (30d), count in full for 90 days then drop to 0 (window 90d), or off (marketers)',
  parse: CHANGE_PARSERS.decay,
});
