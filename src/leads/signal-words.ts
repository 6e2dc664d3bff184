/**
 * Plain words for an event type, the way a rep reads them: "submitted a form", "attended the webinar".
 * One mapping for every surface (the MQL post's reasons, the owner's activity DM) so they never disagree.
 */
/** A Map, not an object: an event type named `__proto__` or `constructor` must not find Object.prototype's members. */
const PHRASES: ReadonlyMap<string, string> = new Map([
  ['form_submit', 'submitted a form'],
  ['email_click', 'clicked an email'],
  ['webinar_attended', 'attended the webinar'],
  ['page_view', 'viewed a page'],
]);

/** Lower-case verb phrase for an event type; an unknown type is its own name with spaces ("trial_started" → "trial started"). */
export function signalPhrase(type: string): string {
  return (
    PHRASES.get(type) ??
    type
      .replace(/[_.-]+/g, ' ')
      .trim()
      .toLowerCase()
  );
}
