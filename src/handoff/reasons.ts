import type { Axis, LeadSignal, Rule, ScoreReason } from '../../db/types.js';
import { signalPhrase } from '../leads/signal-words.js';
import { axisTotals, ruleAxis, type AxisTotals } from '../scoring/axes.js';
import { decayNote } from '../scoring/reason-text.js';
import { fieldSource, fold, resolveField } from '../scoring/score.js';
import { escapeMrkdwn, slackDate, truncate } from '../slack/mrkdwn.js';
import type { HandoffView } from './types.js';

const MAX_VALUE = 150;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A lead's value as a rep reads it; null when it has none. */
export function shownValue(value: string | number | boolean | null): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text ? truncate(text, MAX_VALUE) : null;
}

/**
 * When something happened, as Slack shows it in each reader's own time zone ("Today 15:01"). Not "2 h ago":
 * a post is re-rendered only when it changes, and an age would turn false while it sits in the channel.
 */
export const when = (at: Date) => slackDate(at);

function newestSignal(signals: LeadSignal[], foldedType: string): LeadSignal | undefined {
  return signals.filter((s) => fold(s.type) === foldedType).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
}

/** A stored reason's text without the decay note, which callers place after the reason's time. */
export function withoutDecayNote(reason: Pick<ScoreReason, 'reason' | 'fullPoints'>): string {
  const note = reason.fullPoints === undefined ? null : decayNote(reason.fullPoints);
  return note && reason.reason.endsWith(note) ? reason.reason.slice(0, -note.length) : reason.reason;
}

/**
 * One scoring reason in plain words (plain text; the caller escapes it): an event rule says what the
 * person did (`reasonLines` adds when), a labelled rule its label, a matching rule the value that matched,
 * anything else "field: value". A reason whose rule is unknown keeps its stored sentence without the points.
 */
export function plainReason(reason: ScoreReason, rule: Rule | undefined, v: Pick<HandoffView, 'lead' | 'signals'>): string {
  // Reasons stored since axes exist are already the label and the evidence in words (src/scoring/reason-text.ts),
  // the same words `/mql score` shows; older ones, and reasons whose rule is unknown, are told from what is left.
  if (!rule || reason.axis) return withoutDecayNote(reason).replace(/^[+-][\d,.]+\s+/, '');
  const source = fieldSource(rule.field);
  if (source.kind === 'events') return capitalised(signalPhrase(source.type));
  if (rule.label?.trim()) return rule.label.trim();
  const actual = shownValue(resolveField(v.lead, [], rule.field));
  if (rule.op === '=' || rule.op === 'in' || rule.op === 'contains') return actual ?? shownValue(rule.value) ?? rule.field;
  const field = source.kind === 'attribute' ? source.name : source.key;
  return `${field}: ${actual ?? 'not given'}`;
}

const decayed = (reason: ScoreReason) => reason.fullPoints !== undefined && reason.fullPoints !== reason.points;
/** Points as the post shows them: no plus sign, a true minus sign. */
const shownPoints = (points: number) => `${points < 0 ? '−' : ''}${Math.abs(points)}`;

/**
 * When a reason's evidence happened, where the post shows it: for an event (the event that earned the points;
 * reasons stored before that was recorded: the newest of its type), and for any reason decay took points from.
 */
function evidenceTime(reason: ScoreReason, rule: Rule | undefined, signals: LeadSignal[]): Date | undefined {
  const source = rule && fieldSource(rule.field);
  const isEvent = source?.kind === 'events';
  if (reason.evidenceAt && (isEvent || decayed(reason))) return new Date(reason.evidenceAt);
  return isEvent ? newestSignal(signals, source.type)?.at : undefined;
}

/** "(−20)" for a reason that counts against the lead, "(decayed from 30)" for one that lost points with age. */
function pointsNote(reason: ScoreReason): string {
  const notes = [
    ...(reason.points < 0 ? [shownPoints(reason.points)] : []),
    ...(decayed(reason) ? [`decayed from ${shownPoints(reason.fullPoints!)}`] : []),
  ];
  return notes.length ? ` (${notes.join(', ')})` : '';
}

/**
 * The score's reasons, strongest first, in plain words and escaped, with when the evidence happened; a reason
 * that counts against the lead or lost points to decay says so.
 */
export function reasonLines(v: Pick<HandoffView, 'lead' | 'signals' | 'rules'>): string[] {
  const rules = new Map(v.rules.map((r) => [r.id, r]));
  return [...v.lead.breakdown]
    .sort((a, b) => b.points - a.points)
    .map((reason) => {
      const rule = rules.get(reason.ruleId);
      const text = escapeMrkdwn(truncate(plainReason(reason, rule, v), 200));
      const at = evidenceTime(reason, rule, v.signals);
      return `${text}${at ? ` · ${when(at)}` : ''}${pointsNote(reason)}`;
    });
}

/**
 * The handoff's score split into fit and engagement: each reason's axis, or its rule's for reasons stored
 * before axes existed. Null when a reason's axis cannot be told (its rule is unknown), rather than a wrong split.
 */
export function axisSplit(v: Pick<HandoffView, 'lead' | 'rules'>): AxisTotals | null {
  const rules = new Map(v.rules.map((r) => [r.id, r]));
  const parts = v.lead.breakdown.map((reason) => {
    const rule = rules.get(reason.ruleId);
    return { axis: reason.axis ?? (rule && ruleAxis(rule)), points: reason.points };
  });
  return parts.every((p): p is { axis: Axis; points: number } => p.axis !== undefined) ? axisTotals(parts) : null;
}

/** What the handoff had to reach, in words: "30", or "fit ≥ 20 and engagement ≥ 30" when its version qualified per axis. */
export function qualifiesAt(v: Pick<HandoffView, 'threshold' | 'minimums'>): string {
  return v.minimums ? `fit ≥ ${v.minimums.fit} and engagement ≥ ${v.minimums.engagement}` : String(v.threshold);
}
