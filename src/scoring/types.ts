import type { Attributes, NewRule, Rule, ScoreReason } from '../../db/types.js';

// Rules, attributes and score reasons are stored as they are: their shapes belong to db/.
export { OPERATORS, type AttributeValue, type Attributes, type NewRule, type Operator, type Rule, type ScoreReason } from '../../db/types.js';

export interface Criteria {
  version: number;
  threshold: number;
  rules: Rule[];
}

export type CriteriaChange =
  | { kind: 'add'; rule: NewRule }
  | { kind: 'remove'; ruleId: number }
  | { kind: 'threshold'; threshold: number };

/** The parts of a lead that scoring reads. */
export interface ScorableLead {
  source: string;
  externalId: string;
  email: string | null;
  name: string | null;
  company: string | null;
  title: string | null;
  country: string | null;
  attributes: Attributes;
}

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
