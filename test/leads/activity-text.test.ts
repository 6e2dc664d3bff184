import { describe, expect, it } from 'vitest';
import { activityDmText, activitySummary } from '../../src/leads/activity-text.js';
import { signalPhrase } from '../../src/leads/signal-words.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));

describe('signalPhrase', () => {
  it('says what a person did, in plain words; an unknown type is its name with spaces', () => {
    expect(['form_submit', 'email_click', 'webinar_attended', 'page_view'].map(signalPhrase)).toEqual([
      'submitted a form',
      'clicked an email',
      'attended the webinar',
      'viewed a page',
    ]);
    expect(signalPhrase('trial_started')).toBe('trial started');
    expect(signalPhrase('pricing.page-visit')).toBe('pricing page visit');
  });
});

describe('activitySummary', () => {
  it('names each kind of signal once, newest first, joined as a sentence', () => {
    expect(activitySummary([{ type: 'webinar_attended', occurredAt: at(1) }], false)).toBe('attended the webinar');
    const events = [
      { type: 'email_click', occurredAt: at(1) },
      { type: 'form_submit', occurredAt: at(3) },
      { type: 'email_click', occurredAt: at(2) },
    ];
    expect(activitySummary(events, false)).toBe('submitted a form and clicked an email');
    const many = ['a_b', 'c_d', 'e_f', 'g_h', 'i_j'].map((type, i) => ({ type, occurredAt: at(10 - i) }));
    expect(activitySummary(many, false)).toBe('a b, c d, e f and 2 more kinds of signal');
    expect(activitySummary(many.slice(0, 4), false)).toBe('a b, c d, e f and 1 more kind of signal');
  });

  it('says what came in when there were no events', () => {
    expect(activitySummary([], true)).toBe('arrived as a new lead');
    expect(activitySummary([], false)).toBe('had their details updated');
  });
});

describe('activityDmText', () => {
  const base = { who: 'Jane Doe · Acme', summary: 'attended the webinar', scoreBefore: 75, scoreAfter: 90, postLink: null };

  it('reads "<who> <did what>; score a → b" with the post linked when it is out', () => {
    expect(activityDmText(base)).toBe('Jane Doe · Acme attended the webinar; score 75 → 90');
    expect(activityDmText({ ...base, postLink: 'https://slack.com/archives/C1/p1' })).toBe(
      'Jane Doe · Acme attended the webinar; score 75 → 90 · <https://slack.com/archives/C1/p1|Open the post>',
    );
    expect(activityDmText({ ...base, scoreBefore: 90 })).toBe('Jane Doe · Acme attended the webinar; score 90');
  });

  it('says the activity came as the same person from another source, and escapes what people typed', () => {
    expect(activityDmText({ ...base, who: 'Ana <b> & Co', scoreBefore: 0, scoreAfter: 15, mergedFrom: { source: 'tool<x>' } })).toBe(
      'Ana &lt;b&gt; &amp; Co attended the webinar (same person, via tool&lt;x&gt;)',
    );
  });
});
