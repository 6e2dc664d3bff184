import type { NewRule, Rule, ScoreReason } from '../../db/types.js';

// Rules, attributes and score reasons are stored as they are: their shapes belong to db/.
export {
  OPERATORS,
  type AttributeValue,
  type Attributes,
  type NewRule,
  type Operator,
  type Rule,
  type ScorableLead,
  type ScoreReason,
} from '../../db/types.js';

export interface Criteria {
  version: number;
  threshold: number;
  rules: Rule[];
}

export type CriteriaChange = { kind: 'add'; rule: NewRule } | { kind: 'remove'; ruleId: number } | { kind: 'threshold'; threshold: number };

export interface ScorableEvent {
  type: string;
}

export interface ScoreResult {
  total: number;
  threshold: number;
  qualified: boolean;
  criteriaVersion: number;
  breakdown: ScoreReason[];
}
