/*
 * Criteria seeded on first start: intent (forms, inquiries, webinars, email clicks), engagement
 * (time on site, visits), fit (occupation, title seniority), minus leads sales cannot reach.
 * Never uses Converted, Tags, Lead Quality, Asymmetrique* or Last Notable Activity: they leak the outcome.
 *
 * Measured on data/x-education-leads.csv (9,240 leads, 38.5% converted; the CSV has no
 * events or titles, so only the attribute rules fire), threshold 30:
 *   qualified 3,109 (33.6%); conversion among qualified 76.6% vs 19.3% among not qualified;
 *   precision 0.766, recall 0.668. (Threshold 35 would qualify 18.8%: precision 0.851, recall 0.415.)
 * Rule hits: Inquiry form 718 (92.5% converted), Engaged on site 2,396 (69.9%), Working professional
 * 706 (91.6%), Repeat visitor 2,413 (42.0%), Opted out of email 734 (16.1%), Bad contact data 387 (10.9%).
 */
import type { Decay, Rule } from './types.js';

/**
 * Engagement points count for 30 days (Marketo's window), so a lead whose only signal is months old is not
 * posted as new. Not a half-life: one strong signal is worth exactly the threshold, so any halving would
 * stop a form sent yesterday from qualifying today. The CSV's leads carry no activity times, so the figures
 * above stay as they are.
 */
export const DEFAULT_DECAY: Decay = { kind: 'window', days: 30 };

/** One strong signal (form, inquiry, 15+ min on site, working professional) qualifies; weaker ones must combine. */
export const DEFAULT_THRESHOLD = 30;

export const DEFAULT_RULES: Array<Omit<Rule, 'id'>> = [
  // Intent: the person asked for contact.
  { field: 'events.form_submit', op: '>=', value: '1', points: 30, label: 'Submitted a form' },
  { field: 'Lead Origin', op: '=', value: 'Lead Add Form', points: 40, label: 'Inquiry form', axis: 'engagement' },
  { field: 'events.webinar_attended', op: '>=', value: '1', points: 15, label: 'Attended a webinar' },
  { field: 'events.email_click', op: '>=', value: '2', points: 10, label: 'Clicks our emails' },
  // Engagement on the site.
  { field: 'Total Time Spent on Website', op: '>=', value: '900', points: 30, label: 'Engaged on site', axis: 'engagement' },
  { field: 'TotalVisits', op: '>=', value: '5', points: 5, label: 'Repeat visitor', axis: 'engagement' },
  // Fit: who they are. `contains` matches whole words: "vp" is not in "VPN" or "SVP".
  { field: 'What is your current occupation', op: '=', value: 'Working Professional', points: 30, label: 'Working professional' },
  { field: 'title', op: 'contains', value: 'chief', points: 20, label: 'C-level' },
  { field: 'title', op: 'contains', value: 'vp', points: 15, label: 'VP' },
  { field: 'title', op: 'contains', value: 'vice president', points: 15, label: 'VP' },
  { field: 'title', op: 'contains', value: 'director', points: 15, label: 'Director' },
  { field: 'title', op: 'contains', value: 'head of', points: 10, label: 'Head of function' },
  // Reachability: no point handing over someone sales cannot email.
  { field: 'Do Not Email', op: '=', value: 'Yes', points: -20, label: 'Opted out of email' },
  { field: 'Last Activity', op: 'in', value: 'Email Bounced, Unsubscribed', points: -10, label: 'Bad contact data' },
];
