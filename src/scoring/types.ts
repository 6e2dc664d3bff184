import type { AxisMinimums, Decay, NewRule, Rule, ScoreReason } from '../../db/types.js';

// Rules, attributes and score reasons are stored as they are: their shapes belong to db/.
export {
  AXES,
  OPERATORS,
  type AttributeValue,
  type Attributes,
  type Axis,
  type AxisMinimums,
  type Decay,
  type NewRule,
  type Operator,
  type Rule,
  type ScorableLead,
  type ScoreReason,
} from '../../db/types.js';

export interface Criteria {
  version: number;
  /** The total a lead needs, unless `minimums` are set. */
  threshold: number;
  /** Per-axis minimums that replace the total threshold (`fit >= 20 and engagement >= 30`); null or unset: the total. */
  minimums?: AxisMinimums | null;
  /** Unset: off. */
  decay?: Decay;
  rules: Rule[];
}

export type CriteriaChange =
  | { kind: 'add'; rule: NewRule }
  | { kind: 'remove'; ruleId: number }
  /** Qualify on the total again, at this threshold. */
  | { kind: 'threshold'; threshold: number }
  | { kind: 'minimums'; minimums: AxisMinimums }
  | { kind: 'decay'; decay: Decay }
  /** A new version equal to an old one (its rules, qualifying rule and decay). */
  | { kind: 'revert'; to: Criteria };

export interface ScorableEvent {
  type: string;
  occurredAt: Date;
}

export interface ScoreResult {
  total: number;
  fit: number;
  engagement: number;
  threshold: number;
  minimums: AxisMinimums | null;
  qualified: boolean;
  criteriaVersion: number;
  breakdown: ScoreReason[];
  /** The next moment the score can change with no new data (decay, an event leaving a window); null: never. */
  nextChangeAt: Date | null;
}
