import { describe, expect, it } from 'vitest';
import { answerRefusal, judge, type Actor } from '../../src/handoff/rules.js';

const ANA: Actor = { userId: 'UANA', isManager: false };
const DAN: Actor = { userId: 'UDAN', isManager: false };
const MANAGER: Actor = { userId: 'UBOSS', isManager: true };
const until = new Date('2026-11-23T10:05:00Z');
const UNTIL = '<!date^1795428300^{date_short_pretty} {time}|2026-11-23 10:05 UTC>';
const offered = { claimedBy: null, decision: null, offerMode: 'round-robin', openOffer: { userId: 'UANA', expiresAt: until } } as const;

describe('judge: a lead on offer', () => {
  it('refuses a claim by anyone but the rep it is offered to, naming them and until when, as a stale post', () => {
    expect(judge(offered, 'claim', DAN)).toEqual({
      ok: false,
      message: `Offered to <@UANA> until ${UNTIL}; if they pass or don't answer, it goes on to the next rep, or to everyone when nobody else on the team can take it.`,
      stale: true,
    });
    expect(judge(offered, 'claim', MANAGER)).toMatchObject({ ok: false });
  });

  it('lets the rep it is offered to claim it (accepting the offer), and a manager assign it', () => {
    expect(judge(offered, 'claim', ANA)).toEqual({ ok: true });
    expect(judge(offered, 'reassign', MANAGER)).toEqual({ ok: true });
  });

  it('refuses a claim between two offers, and lets anyone claim once it is open to everyone', () => {
    const between = { ...offered, openOffer: null };
    expect(judge(between, 'claim', ANA)).toMatchObject({ ok: false, stale: true });
    expect(judge({ ...between, offerMode: null }, 'claim', DAN)).toEqual({ ok: true });
  });
});

describe('answerRefusal: who may answer an offer', () => {
  const now = new Date('2026-11-23T10:02:00Z');
  const open = { userId: 'UANA', status: 'open', expiresAt: until } as const;
  const lead = { claimedBy: null, decision: null, offerMode: 'round-robin' as const, openOffer: null };

  it('lets the rep answer an open offer before it runs out', () => {
    expect(answerRefusal(open, lead, 'UANA', now)).toBeNull();
  });

  it('refuses another rep, an offer run out, and a second answer, saying where the lead went', () => {
    expect(answerRefusal(open, lead, 'UBEN', now)).toBe('This lead was offered to <@UANA>, not to you.');
    expect(answerRefusal(open, lead, 'UANA', until)).toBe(
      `This offer ran out at ${UNTIL}; the lead goes on to the next rep, or to everyone when nobody else can take it.`,
    );
    const next = { ...lead, openOffer: { userId: 'UBEN', expiresAt: until } };
    expect(answerRefusal({ ...open, status: 'timed_out' }, next, 'UANA', now)).toBe(
      `This offer ran out at ${UNTIL}; it is offered to <@UBEN> now.`,
    );
    expect(answerRefusal({ ...open, status: 'passed' }, { ...lead, offerMode: null }, 'UANA', now)).toBe(
      'You passed on this lead already; it is open to everyone now.',
    );
    expect(answerRefusal({ ...open, status: 'withdrawn' }, { ...lead, claimedBy: 'UDAN' }, 'UANA', now)).toBe(
      'This offer was withdrawn; <@UDAN> holds it now.',
    );
    expect(answerRefusal({ ...open, status: 'accepted' }, { ...lead, claimedBy: 'UANA' }, 'UANA', now)).toBe(
      'You accepted this lead already; it is yours.',
    );
  });
});
