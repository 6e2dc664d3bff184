import type { HandoffDecision, OutcomeStage } from './schema.js';
/*
 * The shapes of values db/ stores (jsonb columns, text columns with a fixed set of values) and hands back.
 * They live here so that db/ imports nothing from the features; src/ imports or re-exports them.
 */

/**
 * Operators a criteria rule may use. `contains` matches whole words and phrases; `includes` any substring
 * (what `contains` meant before migration 0002, which turned stored `contains` rules into `includes`).
 */
export const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'in', 'contains', 'includes', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Fit: who the lead is (changes rarely). Engagement: what they did (decays with time). */
export const AXES = ['fit', 'engagement'] as const;
export type Axis = (typeof AXES)[number];

/** How engagement points lose value with the age of their evidence, in whole days. */
export type Decay = { kind: 'off' } | { kind: 'half-life'; days: number } | { kind: 'window'; days: number };

/** When set, a lead qualifies on reaching both minimums instead of the total threshold. */
export interface AxisMinimums {
  fit: number;
  engagement: number;
}

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
  /** Unset: by field (`events.*` engagement, the rest fit); see ruleAxis in src/scoring/axes.ts. */
  axis?: Axis | null;
  /** For `events.<type>`: count only events of the last `withinMs` (e.g. `events.form_submit in 30d`). */
  withinMs?: number | null;
}

export type NewRule = Omit<Rule, 'id'>;

export interface ScoreReason {
  ruleId: number;
  /** What the rule is worth now: engagement points after decay. */
  points: number;
  /** The rule's label and its evidence in plain words, e.g. "+30 Engaged on site · 25 min on site". */
  reason: string;
  /** Absent in reasons stored before axes existed. */
  axis?: Axis;
  /** The rule's full points, when decay took some away. */
  fullPoints?: number;
  /** When the evidence happened (the newest counted event, or the lead's last activity), ISO 8601. */
  evidenceAt?: string;
}

/** Imported outcomes (leads.outcome): the only values that count as known. */
export const POSITIVE_OUTCOME = 'converted';
export const NEGATIVE_OUTCOME = 'not_converted';

/** Leads alike in what the backtest needs of them: outcome, where it came from, which rules hit, how old their evidence is. */
/**
 * Where a lead's backtest outcome comes from, in precedence order: the CRM's won/lost (lead_outcomes), the
 * imported outcome, the latest accepted/rejected handoff.
 */
export const OUTCOME_ORIGINS = ['crm', 'imported', 'handoffs'] as const;
export type OutcomeOrigin = (typeof OUTCOME_ORIGINS)[number];

export interface HitGroup {
  outcome: 1 | 0 | null;
  /** Null exactly when the outcome is. */
  origin: OutcomeOrigin | null;
  /** By index into the backtest's rules (`BacktestPlan.rules`, src/scoring/backtest.ts). */
  hits: boolean[];
  /**
   * By index into `BacktestPlan.evidence`: the age bucket of the evidence that dates decaying points (0: younger
   * than the first bound); null when the leads have none, or match none of the rules it dates.
   */
  ages: Array<number | null>;
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
  /** The newest activity's own time: the evidence time of engagement rules that read no event. */
  lastActivityAt?: Date | null;
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
  lead: ScorableLead & {
    breakdown: ScoreReason[];
    lastActivityAt: Date | null;
    /** What the CRM last reported (leads.crm_stage) and when; unset or null: nothing yet. */
    crmStage?: OutcomeStage | null;
    crmStageAt?: Date | null;
  };
  /** The newest event of each type the lead has (type as stored): how fresh each signal is. */
  signals: LeadSignal[];
  /** The rules of the criteria version that scored the handoff, so reasons are told from the rule, not its text. */
  rules: Rule[];
  /** That version's per-axis minimums, when it qualified on them instead of `threshold`. */
  minimums: AxisMinimums | null;
  /** Releases, reassignments and merged activity, oldest first. */
  history: HandoffHistoryEntry[];
  /** The lead's previous handoff, when this is a re-qualification. */
  previous: PreviousHandoff | null;
  /** The route that took the lead (null or absent: the default route). */
  routeName?: string | null;
  /** Set while the lead is offered to one rep at a time (absent: never offered). */
  offerMode?: OfferMode | null;
  /** Its offers, oldest first (absent: none). */
  offers?: HandoffOffer[];
}

/** One offer of a handoff to a rep, as the post and the offer DM show it. */
export interface HandoffOffer {
  id: number;
  userId: string;
  reason: OfferReason;
  status: OfferStatus;
  offeredAt: Date;
  expiresAt: Date;
  answeredAt: Date | null;
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
  | { kind: 'activity'; at: string; leadId: number; source: string; summary: string; scoreBefore: number; scoreAfter: number }
  /** An offer that ended without an owner: passed, not answered in `waitedMs`, or withdrawn because the rep went away. */
  | { kind: 'offer'; at: string; user: string; outcome: 'passed' | 'timed_out' | 'away'; waitedMs: number }
  /** Nobody on the route's team could take the lead: it was opened to everyone (how many were in which state). */
  | { kind: 'opened'; at: string; counts: OpenedCounts };

/** Why each member of a route's team did not take a lead that was opened to everyone. */
export interface OpenedCounts {
  passed: number;
  timedOut: number;
  /** Went away while the lead was offered to them. */
  wentAway: number;
  away: number;
  dnd: number;
  atCap: number;
}

/**
 * How a route hands out its leads: `claim` posts them for the first click (the default route's way),
 * `round-robin` offers each to one rep at a time, `owner` offers it first to whoever already works that person
 * or company, then goes on as round-robin (with a team) or claim (without one).
 */
export const ASSIGNMENT_MODES = ['claim', 'round-robin', 'owner'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** A route's test of a lead: a criteria rule's condition (`country in "Germany, France"`), or `score`/`fit`/`engagement`. */
export interface RouteCondition {
  field: string;
  op: Operator;
  value: string | null;
  /** For `events.<type>` counts: count only this last stretch of time. */
  withinMs?: number;
}

/** Who a route offers leads to: users and user groups (expanded when offering), with optional weights per user. */
export interface RouteTeam {
  users: string[];
  groups: string[];
  /** A user's share relative to the others (default 1): a rep of weight 2 is offered twice as many leads. */
  weights: Record<string, number>;
}

/** One routing rule, as stored in `routing_versions.routes` (evaluated in order; the first match wins). */
export interface Route {
  name: string;
  /** All must hold (`and`). */
  conditions: RouteCondition[];
  /** Channel id the route posts to. */
  channel: string;
  team: RouteTeam | null;
  mode: AssignmentMode;
  /** Open leads a rep may hold before this route skips them (overrides ROUTING_MAX_OPEN). */
  maxOpen?: number;
  /** Offers wait outside BUSINESS_HOURS (in TZ_DIGEST). */
  businessHours?: boolean;
}

/** Whose turn the offers of a handoff are while it is being offered: the owner's first, then the team's. */
export const OFFER_MODES = ['owner', 'round-robin'] as const;
export type OfferMode = (typeof OFFER_MODES)[number];

/** What became of an offer: open until answered, timed out, or withdrawn (the rep went away, a manager stepped in). */
export const OFFER_STATUSES = ['open', 'accepted', 'passed', 'timed_out', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** Why a rep was offered a lead. */
export const OFFER_REASONS = ['owner', 'round-robin', 'claim-sla'] as const;
export type OfferReason = (typeof OFFER_REASONS)[number];
