import { describe, expect, it } from 'vitest';
import type { LeadStage } from '../../db/schema.js';
import { startsHandoff, type QualificationChange } from '../../src/leads/qualification.js';

const change = (o: Partial<QualificationChange>): QualificationChange => ({
  stage: 'lead',
  wasQualified: false,
  isQualified: true,
  previousScore: 30,
  newScore: 50,
  newActivity: true,
  crmStage: null,
  ...o,
});

describe('startsHandoff: a lead never handed to sales', () => {
  it('starts a handoff when it crosses the threshold', () => {
    expect(startsHandoff(change({ wasQualified: false, isQualified: true }))).toBe(true);
  });

  it('starts one when it crosses the threshold even without new activity (e.g. a field change)', () => {
    expect(startsHandoff(change({ wasQualified: false, isQualified: true, newActivity: false }))).toBe(true);
  });

  it('starts one when already over the threshold (imported without posting) and new activity arrives', () => {
    expect(startsHandoff(change({ wasQualified: true, isQualified: true, previousScore: 60, newScore: 60, newActivity: true }))).toBe(true);
  });

  it('does not start one for a replay of what we had while already over the threshold', () => {
    expect(startsHandoff(change({ wasQualified: true, isQualified: true, previousScore: 60, newScore: 60, newActivity: false }))).toBe(
      false,
    );
  });

  it('does not start one below the threshold, whatever the activity', () => {
    expect(startsHandoff(change({ isQualified: false, newActivity: true }))).toBe(false);
    expect(startsHandoff(change({ wasQualified: true, isQualified: false }))).toBe(false);
  });
});

describe('startsHandoff: a nurtured lead (rejected earlier)', () => {
  it('re-qualifies when new activity raises its score while over the threshold', () => {
    expect(startsHandoff(change({ stage: 'nurture', wasQualified: true, previousScore: 50, newScore: 60, newActivity: true }))).toBe(true);
  });

  it('re-qualifies when new activity lifts it from below to over the threshold', () => {
    expect(startsHandoff(change({ stage: 'nurture', wasQualified: false, previousScore: 30, newScore: 50, newActivity: true }))).toBe(true);
  });

  it('does not re-qualify on new activity that leaves the score unchanged (same qualification)', () => {
    expect(startsHandoff(change({ stage: 'nurture', wasQualified: true, previousScore: 60, newScore: 60, newActivity: true }))).toBe(false);
  });

  it('does not re-qualify on new activity that lowers the score', () => {
    expect(startsHandoff(change({ stage: 'nurture', wasQualified: true, previousScore: 70, newScore: 60, newActivity: true }))).toBe(false);
  });

  it('does not re-qualify when the score rises without new activity (e.g. a replay)', () => {
    expect(startsHandoff(change({ stage: 'nurture', wasQualified: true, previousScore: 50, newScore: 60, newActivity: false }))).toBe(
      false,
    );
  });

  it('does not re-qualify below the threshold', () => {
    expect(startsHandoff(change({ stage: 'nurture', isQualified: false, previousScore: 10, newScore: 30, newActivity: true }))).toBe(false);
  });
});

describe('startsHandoff: a lead already with sales is never queued again', () => {
  it.each(['mql', 'claimed', 'accepted'] satisfies LeadStage[])('%s', (stage) => {
    expect(
      startsHandoff(change({ stage, wasQualified: false, isQualified: true, newActivity: true, previousScore: 0, newScore: 99 })),
    ).toBe(false);
    expect(startsHandoff(change({ stage, wasQualified: true, isQualified: true, newActivity: true }))).toBe(false);
  });
});

describe('startsHandoff: a lead the CRM reports on', () => {
  it.each(['opportunity', 'won'] as const)('is never handed over again once it is %s, in whatever stage the bot has it', (crmStage) => {
    for (const stage of ['lead', 'nurture'] as const) {
      expect(startsHandoff(change({ stage, crmStage, wasQualified: true, previousScore: 20, newScore: 60, newActivity: true }))).toBe(
        false,
      );
    }
  });

  it('re-qualifies as before once it is lost', () => {
    expect(startsHandoff(change({ stage: 'nurture', crmStage: 'lost', wasQualified: true, previousScore: 50, newScore: 60 }))).toBe(true);
    expect(startsHandoff(change({ stage: 'lead', crmStage: 'lost' }))).toBe(true);
  });
});
