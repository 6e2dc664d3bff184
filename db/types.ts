import type { HandoffDecision } from './schema.js';
/*
 * The shapes of values db/ stores (jsonb columns, text columns with a fixed set of values) and hands back.
 * They live here so that db/ imports nothing from the features; src/ imports or re-exports them.
 */

/** Operators a criteria rule may use (design: `= != > >= < <= in contains exists`). */
export const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'in', 'contains', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

/** The lead columns a source sets by name; whatever else it sends is an attribute. */
export const CORE_FIELDS = ['email', 'name', 'company', 'title', 'country'] as const;
export type CoreFields = Record<(typeof CORE_FIELDS)[number], string | null>;

export interface StoredLeadFields extends CoreFields {
  attributes: Attributes;
}

/** A marketer-owned rule: `field op value → points`. `value` is null for `exists`; a comma list for `in`. */
export interface Rule {
  id: number;
  field: string;
  op: Operator;
  value: string | null;
  points: number;
  label: string | null;
}

export type NewRule = Omit<Rule, 'id'>;

export interface ScoreReason {
  ruleId: number;
  points: number;
  /** A human sentence, e.g. "+20 Total Time Spent on Website 1,532 > 600". */
  reason: string;
}

/** Imported outcomes (leads.outcome): the only values that count as known. */
export const POSITIVE_OUTCOME = 'converted';
export const NEGATIVE_OUTCOME = 'not_converted';

/** Leads alike in what the backtest needs of them: outcome, where it came from, which rules hit. */
export interface HitGroup {
  outcome: 1 | 0 | null;
  imported: boolean;
  /** By index into the backtest's rules (`BacktestPlan.rules`, src/scoring/backtest.ts). */
  hits: boolean[];
  leads: number;
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

/** Everything the MQL post shows, read from the database when the post is sent or updated. */
export interface HandoffView {
  id: number;
  qualification: number;
  score: number;
  threshold: number;
  criteriaVersion: number;
  postedAt: Date | null;
  claimableSince: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  decision: HandoffDecision | null;
  reasonCode: string | null;
  note: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  lead: ScorableLead & { breakdown: ScoreReason[]; lastActivityAt: Date | null };
  /** The newest event of each type the lead has (type as stored): how fresh each signal is. */
  signals: LeadSignal[];
  /** The rules of the criteria version that scored the handoff, so reasons are told from the rule, not its text. */
  rules: Rule[];
  /** Releases, reassignments and merged activity, oldest first. */
  history: HandoffHistoryEntry[];
  /** The lead's previous handoff, when this is a re-qualification. */
  previous: PreviousHandoff | null;
}

export interface LeadSignal {
  type: string;
  at: Date;
}

/** How a lead's previous qualification ended, for the re-qualified post. */
export interface PreviousHandoff {
  qualification: number;
  decision: HandoffDecision | null;
  reasonCode: string | null;
  note: string | null;
  decidedBy: string | null;
}

/** One line of a handoff's history (handoffs.history), shown on the post so a release or reassign erases nothing. */
export type HandoffHistoryEntry =
  | { kind: 'released'; at: string; by: string; holder: string; heldMs: number }
  | { kind: 'reassigned'; at: string; by: string; from: string | null; to: string }
  | { kind: 'activity'; at: string; leadId: number; source: string; summary: string; scoreBefore: number; scoreAfter: number };
