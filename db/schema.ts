import { sql } from 'drizzle-orm';
import {
  bigserial,
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  Attributes,
  Axis,
  Decay,
  HandoffHistoryEntry,
  OfferMode,
  OfferReason,
  OfferStatus,
  Route,
  Rule,
  ScoreReason,
} from './types.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () => bigserial('id', { mode: 'number' }).primaryKey();
const ref = (name: string) => bigint(name, { mode: 'number' });

/** Lifecycle: lead → mql → claimed → accepted, or → nurture after a rejection (may re-qualify later). */
export const LEAD_STAGES = ['lead', 'mql', 'claimed', 'accepted', 'nurture'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

export const leads = pgTable(
  'leads',
  {
    id: id(),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    email: text('email'),
    /** The email as people are matched by (trimmed, lower case; see src/leads/email-key.ts): one person, one open handoff. */
    emailKey: text('email_key'),
    name: text('name'),
    company: text('company'),
    title: text('title'),
    country: text('country'),
    attributes: jsonb('attributes').$type<Attributes>().notNull().default({}),
    score: integer('score').notNull().default(0),
    scoreBreakdown: jsonb('score_breakdown').$type<ScoreReason[]>().notNull().default([]),
    criteriaVersion: integer('criteria_version'),
    qualified: boolean('qualified').notNull().default(false),
    stage: text('stage').$type<LeadStage>().notNull().default('lead'),
    outcome: text('outcome'),
    /** How many times this lead has been handed to sales; the next handoff is number + 1. */
    qualificationCount: integer('qualification_count').notNull().default(0),
    lastActivityAt: ts('last_activity_at'),
    /** The latest stage the CRM reported (see lead_outcomes): it outranks the imported outcome and the rep's decision. */
    crmStage: text('crm_stage').$type<OutcomeStage>(),
    crmStageAt: ts('crm_stage_at'),
    /** When the stored score can next change with no new data (decay, an event leaving a window): re-scored then. */
    rescoreDueAt: ts('rescore_due_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('leads_source_external_id_key').on(t.source, t.externalId),
    index('leads_rescore_due_idx').on(t.rescoreDueAt).where(sql`${t.rescoreDueAt} is not null`),
    index('leads_email_idx').on(sql`lower(${t.email})`),
    index('leads_email_key_idx').on(t.emailKey),
    index('leads_stage_idx').on(t.stage),
  ],
);

export const leadEvents = pgTable(
  'lead_events',
  {
    id: id(),
    leadId: ref('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  // The same event (type + time) sent twice is one event.
  (t) => [uniqueIndex('lead_events_dedupe_key').on(t.leadId, t.type, t.occurredAt)],
);

/** Rules keep a stable id across versions; a removed rule keeps its row with `removedInVersion` set. */
export const criteria = pgTable('criteria', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  field: text('field').notNull(),
  op: text('op').$type<Rule['op']>().notNull(),
  value: text('value'),
  points: integer('points').notNull(),
  label: text('label'),
  /** Null: by field (events.* engagement, the rest fit). */
  axis: text('axis').$type<Axis>(),
  /** For events.<type> rules: count only the events of this last stretch of time. */
  withinMs: bigint('within_ms', { mode: 'number' }),
  addedInVersion: integer('added_in_version').notNull(),
  removedInVersion: integer('removed_in_version'),
});

/** Every change to rules or threshold is a new version; the highest version is the active one. */
export const criteriaVersions = pgTable('criteria_versions', {
  version: integer('version').primaryKey(),
  threshold: integer('threshold').notNull(),
  /** Set together: a lead qualifies on reaching both instead of the threshold. */
  fitMinimum: integer('fit_minimum'),
  engagementMinimum: integer('engagement_minimum'),
  decay: jsonb('decay').$type<Decay>().notNull().default({ kind: 'off' }),
  /** The full rule set of this version, so any score can be explained by the version that produced it. */
  rules: jsonb('rules').$type<Rule[]>().notNull(),
  change: text('change').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const HANDOFF_DECISIONS = ['accepted', 'rejected', 'released', 'expired'] as const;
export type HandoffDecision = (typeof HANDOFF_DECISIONS)[number];

export const handoffs = pgTable(
  'handoffs',
  {
    id: id(),
    leadId: ref('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    qualification: integer('qualification').notNull(),
    /** The score and its reasons when the lead qualified: the post explains that moment. */
    score: integer('score').notNull(),
    scoreBreakdown: jsonb('score_breakdown').$type<ScoreReason[]>().notNull().default([]),
    threshold: integer('threshold').notNull(),
    criteriaVersion: integer('criteria_version').notNull(),
    channel: text('channel'),
    messageTs: text('message_ts'),
    postedAt: ts('posted_at'),
    /** When the claim clock (re)started: the post, or the last release. */
    claimableSince: ts('claimable_since'),
    claimedBy: text('claimed_by'),
    claimedAt: ts('claimed_at'),
    /** The first claim, kept through releases: time to claim is measured to it. */
    firstClaimedAt: ts('first_claimed_at'),
    decision: text('decision').$type<HandoffDecision>(),
    reasonCode: text('reason_code'),
    note: text('note'),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    /** What happened before the current state (releases, reassignments, merged activity), oldest first: the post shows it. */
    history: jsonb('history').$type<HandoffHistoryEntry[]>().notNull().default([]),
    /** Bumped by every change, so a refresh of the post is queued once per state however many clicks see it. */
    version: integer('version').notNull().default(0),
    /** The route that took the lead (null: the default route, the sales channel in claim mode) and its routing version. */
    routeName: text('route_name'),
    routingVersion: integer('routing_version'),
    /** Where the post goes (the route's channel); null: the sales channel. */
    postChannel: text('post_channel'),
    /** Set while the lead is offered to one rep at a time; null once it is open to everyone (or never was offered). */
    offerMode: text('offer_mode').$type<OfferMode>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Set by every change (with `version`): CRMs that pull read pages of handoffs changed since a time. */
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('handoffs_lead_qualification_key').on(t.leadId, t.qualification),
    index('handoffs_updated_at_idx').on(t.updatedAt, t.id),
    // The funnel's cohort: the handoffs opened in a period.
    index('handoffs_created_at_idx').on(t.createdAt),
    index('handoffs_posted_at_idx').on(t.postedAt),
    index('handoffs_offer_mode_idx').on(t.id).where(sql`${t.offerMode} is not null`),
  ],
);

/** Every change to the routes is a new version holding the whole ordered list; the highest version is active. */
export const routingVersions = pgTable('routing_versions', {
  version: integer('version').primaryKey(),
  routes: jsonb('routes').$type<Route[]>().notNull(),
  change: text('change').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A lead offered to one rep: Accept claims it, Pass or no answer by `expires_at` moves it to the next rep. */
export const offers = pgTable(
  'offers',
  {
    id: id(),
    handoffId: ref('handoff_id')
      .notNull()
      .references(() => handoffs.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** The route the offer was made for (null: the default route, e.g. a claim-SLA reassignment). */
    routeName: text('route_name'),
    reason: text('reason').$type<OfferReason>().notNull(),
    offeredAt: ts('offered_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    status: text('status').$type<OfferStatus>().notNull().default('open'),
    answeredAt: ts('answered_at'),
  },
  (t) => [
    // One open offer per lead, whatever the replicas do.
    uniqueIndex('offers_one_open_per_handoff').on(t.handoffId).where(sql`${t.status} = 'open'`),
    index('offers_handoff_idx').on(t.handoffId),
    index('offers_user_offered_idx').on(t.userId, t.offeredAt),
    index('offers_open_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'open'`),
  ],
);

/** Reps who are away: skipped by routing until `away_until` (null: until they say they are back). */
export const repAway = pgTable('rep_away', {
  userId: text('user_id').primaryKey(),
  awayUntil: ts('away_until'),
  since: ts('since').notNull(),
  setBy: text('set_by').notNull(),
});

export const OUTCOME_STAGES = ['opportunity', 'won', 'lost'] as const;
export type OutcomeStage = (typeof OUTCOME_STAGES)[number];

/** Later stages the CRM reports for a lead; the same stage at the same time is one outcome. */
export const leadOutcomes = pgTable(
  'lead_outcomes',
  {
    id: id(),
    leadId: ref('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    stage: text('stage').$type<OutcomeStage>().notNull(),
    amount: numeric('amount', { precision: 18, scale: 2, mode: 'number' }),
    currency: text('currency'),
    occurredAt: ts('occurred_at').notNull(),
    reason: text('reason'),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lead_outcomes_dedupe_key').on(t.leadId, t.stage, t.occurredAt)],
);

/** The webhook URLs deliveries go to (WEBHOOK_URL, synced at start-up) and how each is faring. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  url: text('url').primaryKey(),
  /** Configured now: events are written for active endpoints only, and only their deliveries are sent. */
  active: boolean('active').notNull().default(true),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  /** The first failure of the current run of failures; null while deliveries succeed. */
  failingSince: ts('failing_since'),
  lastError: text('last_error'),
  lastSuccessAt: ts('last_success_at'),
  /** The receiver asked us to slow down (429 Retry-After): nothing is sent to it before this time. */
  pausedUntil: ts('paused_until'),
  /** When its failing was reported (one log line per run of failures). */
  reportedAt: ts('reported_at'),
});

/**
 * The webhook outbox: one row per event per endpoint, written in the transaction that makes the change.
 * Deliveries of one lead to one endpoint go out in id order.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    endpoint: text('endpoint').notNull(),
    eventId: text('event_id').notNull(),
    /** What the event is of (e.g. `handoff.accepted:12:v3`): the same change emits it once, whatever replays. */
    eventKey: text('event_key').notNull(),
    type: text('type').notNull(),
    leadId: ref('lead_id').notNull(),
    /** The JSON body exactly as signed and sent. */
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    deliveredAt: ts('delivered_at'),
    /** Given up on (still refused after WEBHOOK_RETRY_FOR): logged, no longer holds back the lead's later events. */
    failedAt: ts('failed_at'),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_key').on(t.endpoint, t.eventKey),
    index('webhook_deliveries_pending_lead_idx')
      .on(t.endpoint, t.leadId, t.id)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index('webhook_deliveries_pending_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    at: ts('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId)],
);

export const OUTBOX_KINDS = ['post_mql', 'update_mql', 'dm', 'thread_reply', 'channel_message'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    kind: text('kind').$type<OutboxKind>().notNull(),
    handoffId: ref('handoff_id').references(() => handoffs.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** Makes a message (a reminder, a post) at most once, however many replicas enqueue it. */
    dedupeKey: text('dedupe_key'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * Set while an attempt is in flight or ended without a definite answer (network error, 5xx, crash):
     * Slack may have the message already, so a post is looked up before it is sent again.
     */
    maybeDelivered: boolean('maybe_delivered').notNull().default(false),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
    failedAt: ts('failed_at'),
    lastError: text('last_error'),
    /**
     * Set when Slack refused the call for a reason about the bot, not the message (bad token, not in the
     * channel, missing scope): the message waits, is not leased, and is sent again once a probe succeeds.
     */
    heldReason: text('held_reason'),
    heldSince: ts('held_since'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_key').on(t.dedupeKey),
    index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
  ],
);

/**
 * SLA notices already given (an escalation of one lead for one clock): escalations are batched into one
 * message per manager per sweep, so the outbox key of that message cannot say which leads it covered.
 */
export const slaNotices = pgTable('sla_notices', {
  key: text('key').primaryKey(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    period: text('period').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.job, t.period] })],
);
