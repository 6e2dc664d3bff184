/** A handoff view, the settings posts are rendered with, and readers of Block Kit output, shared by the block tests. */
import type { KnownBlock as Block } from '@slack/types';
import type { HandoffView, RenderContext } from '../../src/handoff/types.js';

const POSTED = new Date('2026-03-02T10:00:00Z');
export const min = (n: number) => n * 60_000;
export const at = (offsetMs: number) => new Date(POSTED.getTime() + offsetMs);

/** Rendered 5 minutes after the post; CLAIM_SLA 15 min, DECISION_SLA 24 h, the clock always running. */
export const CTX: RenderContext = {
  now: at(min(5)),
  postFields: ['phone', 'company_size', 'country', 'crm_url'],
  sla: { claimSlaMs: min(15), decisionSlaMs: min(24 * 60), calendar: { businessHours: null, timeZone: 'UTC' }, autoRelease: false },
};
export const ctxAt = (offsetMs: number): RenderContext => ({ ...CTX, now: at(offsetMs) });

export const RULES: HandoffView['rules'] = [
  { id: 1, field: 'events.form_submit', op: '>=', value: '1', points: 30, label: 'Submitted a form' },
  { id: 2, field: 'What is your current occupation', op: '=', value: 'Working Professional', points: 30, label: null },
  { id: 3, field: 'Total Time Spent on Website', op: '>=', value: '600', points: 25, label: null, axis: 'engagement' },
  { id: 4, field: 'Do Not Email', op: '=', value: 'Yes', points: -20, label: 'Opted out of email' },
];

export function view(overrides: Partial<HandoffView> = {}, lead: Partial<HandoffView['lead']> = {}): HandoffView {
  return {
    id: 42,
    qualification: 1,
    score: 85,
    threshold: 40,
    criteriaVersion: 3,
    postedAt: POSTED,
    claimableSince: POSTED,
    claimedBy: null,
    claimedAt: null,
    decision: null,
    reasonCode: null,
    note: null,
    decidedBy: null,
    decidedAt: null,
    previous: null,
    rules: RULES,
    minimums: null,
    signals: [{ type: 'form_submit', at: at(-min(120)) }],
    history: [],
    ...overrides,
    lead: {
      source: 'website',
      externalId: 'ext-1',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      title: 'CTO',
      country: 'UK',
      lastActivityAt: at(-min(120)),
      attributes: {
        'What is your current occupation': 'Working Professional',
        'Total Time Spent on Website': 1532,
        Phone: '+44 20 7946 0000',
        'Company Size': '51-200',
        crm_url: 'https://crm.example.com/leads/1?tab=a&b=c',
      },
      breakdown: [
        { ruleId: 3, points: 25, reason: '+25 Total Time Spent on Website 1,532 >= 600' },
        { ruleId: 1, points: 30, reason: '+30 Submitted a form: events.form_submit 1 >= 1' },
        { ruleId: 2, points: 30, reason: '+30 What is your current occupation Working Professional = Working Professional' },
      ],
      ...lead,
    },
  };
}

export const claimedView = (o: Partial<HandoffView> = {}) => view({ claimedBy: 'U_REP', claimedAt: at(min(3)), ...o });

export type AnyBlock = Record<string, any>;
export const texts = (blocks: Block[]): string[] =>
  (blocks as AnyBlock[]).flatMap((b) => [
    ...(b.text ? [b.text.text] : []),
    ...(b.fields ?? []).map((f: AnyBlock) => f.text),
    ...(b.type === 'context' ? b.elements.map((e: AnyBlock) => e.text) : []),
  ]);
export const byType = (blocks: Block[], type: string) => (blocks as AnyBlock[]).filter((b) => b.type === type);
export const contextTexts = (blocks: Block[]) => byType(blocks, 'context').map((b) => b.elements[0].text as string);
export const sectionTexts = (blocks: Block[]) =>
  byType(blocks, 'section')
    .filter((b) => b.text)
    .map((b) => b.text.text as string);
export const fieldTexts = (blocks: Block[]) =>
  byType(blocks, 'section').flatMap((b) => (b.fields ?? []).map((f: AnyBlock) => f.text as string));
export const buttons = (blocks: Block[]) =>
  byType(blocks, 'actions').flatMap((b) =>
    b.elements.map((e: AnyBlock) => ({ text: e.text.text, action: e.action_id, value: e.value, style: e.style })),
  );
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** `<!date^…>` as slackDate writes it, for a date in a test. */
export const slackDateOf = (d: Date) =>
  `<!date^${d.getTime() / 1000}^{date_short_pretty} {time}|${d.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
