/** Operators a criteria rule may use (design: `= != > >= < <= in contains exists`). */
export const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'in', 'contains', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

/** A marketer-owned rule: `field op value → points`. `value` is null for `exists`; a comma list for `in`. */
export interface Rule {
  id: number;
  field: string;
  op: Operator;
  value: string | null;
  points: number;
  label: string | null;
}

export interface Criteria {
  version: number;
  threshold: number;
  rules: Rule[];
}

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

export interface ScoreReason {
  ruleId: number;
  points: number;
  /** A human sentence, e.g. "+20 Total Time Spent on Website 1,532 > 600". */
  reason: string;
}

export interface ScoreResult {
  total: number;
  threshold: number;
  qualified: boolean;
  criteriaVersion: number;
  breakdown: ScoreReason[];
}
