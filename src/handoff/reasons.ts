import type { LeadSignal, Rule, ScoreReason } from '../../db/types.js';
import { signalPhrase } from '../leads/signal-words.js';
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

/**
 * One scoring reason in plain words (plain text; the caller escapes it): an event rule says what the
 * person did (`reasonLines` adds when), a labelled rule its label, a matching rule the value that matched,
 * anything else "field: value". A reason whose rule is unknown keeps its stored sentence without the points.
 */
export function plainReason(reason: ScoreReason, rule: Rule | undefined, v: Pick<HandoffView, 'lead' | 'signals'>): string {
  if (!rule) return reason.reason.replace(/^[+-][\d,.]+\s+/, '');
  const source = fieldSource(rule.field);
  if (source.kind === 'events') return capitalised(signalPhrase(source.type));
  if (rule.label?.trim()) return rule.label.trim();
  const actual = shownValue(resolveField(v.lead, [], rule.field));
  if (rule.op === '=' || rule.op === 'in' || rule.op === 'contains') return actual ?? shownValue(rule.value) ?? rule.field;
  const field = source.kind === 'attribute' ? source.name : source.key;
  return `${field}: ${actual ?? 'not given'}`;
}

/** The score's reasons, strongest first, in plain words and escaped; a reason that counts against the lead says so. */
export function reasonLines(v: Pick<HandoffView, 'lead' | 'signals' | 'rules'>): string[] {
  const rules = new Map(v.rules.map((r) => [r.id, r]));
  return [...v.lead.breakdown]
    .sort((a, b) => b.points - a.points)
    .map((reason) => {
      const rule = rules.get(reason.ruleId);
      const text = escapeMrkdwn(truncate(plainReason(reason, rule, v), 200));
      const source = rule && fieldSource(rule.field);
      const newest = source?.kind === 'events' ? newestSignal(v.signals, source.type) : undefined;
      const dated = newest ? `${text} · ${when(newest.at)}` : text;
      return reason.points < 0 ? `${dated} (−${Math.abs(reason.points)})` : dated;
    });
}
