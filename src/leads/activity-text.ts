import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { signalPhrase } from './signal-words.js';

/** At most this many kinds of signal are named in one line; the rest are counted. */
const PHRASES_NAMED = 3;

/**
 * What a person did in one arrival, for the post's history and the owner's DM: "attended the webinar",
 * "submitted a form and clicked an email". Newest kind first. Without events the lead itself is the news.
 */
export function activitySummary(events: Array<{ type: string; occurredAt: Date }>, inserted: boolean): string {
  if (events.length === 0) return inserted ? 'arrived as a new lead' : 'had their details updated';
  const newestFirst = [...events].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  const phrases = [...new Set(newestFirst.map((e) => signalPhrase(e.type)))];
  const named = phrases.slice(0, PHRASES_NAMED);
  const rest = phrases.length - named.length;
  if (rest > 0) return `${named.join(', ')} and ${rest} more ${rest === 1 ? 'kind of signal' : 'kinds of signal'}`;
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

export interface ActivityDm {
  /** The lead as the owner knows it (leadDisplayName), plain text. */
  who: string;
  summary: string;
  scoreBefore: number;
  scoreAfter: number;
  /** Set when the activity came in as another lead of the same person (another source). */
  mergedFrom?: { source: string };
  /** The MQL post, when it is out. */
  postLink: string | null;
}

/** "Jane Doe · Acme attended the webinar; score 75 → 90 · <link|Open the post>" (mrkdwn). */
export function activityDmText(dm: ActivityDm): string {
  const score = dm.scoreBefore === dm.scoreAfter ? `score ${dm.scoreAfter}` : `score ${dm.scoreBefore} → ${dm.scoreAfter}`;
  // A merged lead's score is that other record's, not the one the owner holds: not shown.
  const detail = dm.mergedFrom ? ` (same person, via ${escapeMrkdwn(dm.mergedFrom.source)})` : `; ${score}`;
  const link = dm.postLink ? ` · <${dm.postLink}|Open the post>` : '';
  return `${escapeMrkdwn(dm.who)} ${dm.summary}${detail}${link}`;
}
