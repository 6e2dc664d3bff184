import type { ScorableLead } from '../../db/types.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { coreField } from '../scoring/score.js';
import { shownValue } from './reasons.js';

/** Field names compare case-insensitively, with `_` and spaces alike: "company_size" finds "Company Size". */
const key = (name: string) =>
  name
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

const ACRONYMS = new Set(['crm', 'url', 'id', 'utm']);

/** "company_size" → "Company size", "crm_url" → "CRM URL". */
export function fieldLabel(name: string): string {
  const words = key(name)
    .split(' ')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** A link Slack can show as `<url|text>`: http(s) only, and nothing that would end the link early. */
const LINK = /^https?:\/\/[^\s<>|]+$/i;

function lookup(lead: ScorableLead, name: string): string | number | boolean | null {
  const core = coreField(key(name).replace(/ /g, '_'));
  if (core) return core === 'attributes' ? null : (lead[core] as string | null);
  const wanted = key(name);
  const attribute = Object.keys(lead.attributes).find((k) => key(k) === wanted);
  return attribute === undefined ? null : (lead.attributes[attribute] ?? null);
}

/**
 * The key fields sales asked for (SLACK_POST_FIELDS) as [label, mrkdwn value] pairs, in the configured
 * order; fields the lead has no value for are left out. A URL is a link ("Open in CRM" for a CRM field).
 */
export function keyFields(lead: ScorableLead, names: readonly string[]): Array<[string, string]> {
  return names.flatMap((name): Array<[string, string]> => {
    const label = escapeMrkdwn(fieldLabel(name));
    const raw = lookup(lead, name);
    const text = typeof raw === 'string' ? raw.trim() : raw;
    if (typeof text === 'string' && LINK.test(text)) {
      return [[label, `<${escapeMrkdwn(text)}|${/crm/i.test(name) ? 'Open in CRM' : label}>`]];
    }
    const shown = shownValue(text);
    return shown ? [[label, escapeMrkdwn(shown)]] : [];
  });
}
