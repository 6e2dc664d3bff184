/** A handoff view and readers of Block Kit output, shared by the block tests (blocks-post, blocks-limits-dm). */
import type { KnownBlock as Block } from '@slack/types';
import type { HandoffView } from '../../src/handoff/types.js';

const POSTED = new Date('2026-03-02T10:00:00Z');
export const min = (n: number) => n * 60_000;
export const at = (offsetMs: number) => new Date(POSTED.getTime() + offsetMs);

export function view(overrides: Partial<HandoffView> = {}, lead: Partial<HandoffView['lead']> = {}): HandoffView {
  return {
    id: 42,
    qualification: 1,
    score: 55,
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
    ...overrides,
    lead: {
      source: 'website',
      externalId: 'ext-1',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      title: 'CTO',
      country: 'UK',
      breakdown: [
        { ruleId: 1, points: 30, reason: '+30 Lead Source = website' },
        { ruleId: 2, points: 25, reason: '+25 Total Time Spent on Website 1,532 > 600' },
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
export const buttons = (blocks: Block[]) =>
  byType(blocks, 'actions').flatMap((b) =>
    b.elements.map((e: AnyBlock) => ({ text: e.text.text, action: e.action_id, value: e.value, style: e.style })),
  );
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
