import { describe, expect, it } from 'vitest';
import { type Candidate, chooseRep, SKIP_WORDS, skipReason } from '../../src/routing/chooser.js';

const T0 = new Date('2026-12-01T09:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const rep = (userId: string, over: Partial<Candidate> = {}): Candidate => ({
  userId,
  weight: 1,
  away: false,
  inDnd: false,
  load: 0,
  cap: null,
  offeredAlready: false,
  assignments: 0,
  lastAssignedAt: null,
  ...over,
});

const chosen = (candidates: Candidate[]) => chooseRep(candidates)?.userId ?? null;

describe('skipReason: who cannot be offered the lead now', () => {
  it('names each reason, and nothing for an eligible rep', () => {
    expect(skipReason(rep('U1'))).toBeNull();
    expect(skipReason(rep('U1', { away: true }))).toBe('away');
    expect(skipReason(rep('U1', { inDnd: true }))).toBe('dnd');
    expect(skipReason(rep('U1', { load: 3, cap: 3 }))).toBe('at_cap');
    expect(skipReason(rep('U1', { offeredAlready: true }))).toBe('offered');
    expect(SKIP_WORDS.at_cap).toBe('at their cap of open leads');
  });

  it('counts a cap as reached at equality, and no cap as none', () => {
    expect(skipReason(rep('U1', { load: 2, cap: 3 }))).toBeNull();
    expect(skipReason(rep('U1', { load: 4, cap: 3 }))).toBe('at_cap');
    expect(skipReason(rep('U1', { load: 500, cap: null }))).toBeNull();
  });

  it('reports an earlier offer first, then away, then DND, then the cap', () => {
    const all = { away: true, inDnd: true, load: 5, cap: 1 };
    expect(skipReason(rep('U1', { ...all, offeredAlready: true }))).toBe('offered');
    expect(skipReason(rep('U1', all))).toBe('away');
    expect(skipReason(rep('U1', { ...all, away: false }))).toBe('dnd');
  });
});

describe('chooseRep: eligibility', () => {
  it('skips reps who are away, in DND, at their cap or already offered the lead', () => {
    // Every skipped rep would otherwise win: they have the fewest offers.
    const team = [
      rep('UAWAY', { away: true }),
      rep('UDND', { inDnd: true }),
      rep('UCAP', { load: 2, cap: 2 }),
      rep('UOFFERED', { offeredAlready: true }),
      rep('UFREE', { assignments: 9, lastAssignedAt: minutes(5) }),
    ];
    expect(chosen(team)).toBe('UFREE');
  });

  it('offers to nobody when nobody is eligible, or the team is empty', () => {
    expect(chosen([rep('U1', { away: true }), rep('U2', { load: 1, cap: 1 })])).toBeNull();
    expect(chosen([])).toBeNull();
  });

  it('never offers to a rep of weight 0', () => {
    expect(chosen([rep('UZERO', { weight: 0 })])).toBeNull();
    expect(chosen([rep('UZERO', { weight: 0 }), rep('UONE', { assignments: 5 })])).toBe('UONE');
  });
});

describe('chooseRep: fairness', () => {
  it('prefers the fewest offers in the window', () => {
    expect(chosen([rep('U1', { assignments: 3 }), rep('U2', { assignments: 1 }), rep('U3', { assignments: 2 })])).toBe('U2');
  });

  it('between equal counts, prefers who waited longest since their last offer, never offered first', () => {
    const earlier = rep('UEARLY', { assignments: 2, lastAssignedAt: minutes(1) });
    const later = rep('ULATE', { assignments: 2, lastAssignedAt: minutes(30) });
    expect(chosen([later, earlier])).toBe('UEARLY');
    expect(chosen([later, earlier, rep('UNEVER', { assignments: 2 })])).toBe('UNEVER');
  });

  it('breaks a full tie by user id, whatever order the team is listed in', () => {
    const tied = ['U3', 'U1', 'U2'].map((id) => rep(id, { assignments: 1, lastAssignedAt: minutes(1) }));
    expect(chosen(tied)).toBe('U1');
    expect(chosen([...tied].reverse())).toBe('U1');
  });

  it('divides counts by weight: a rep of weight 2 is due until they have twice the offers', () => {
    expect(chosen([rep('UDOUBLE', { weight: 2, assignments: 3 }), rep('USINGLE', { assignments: 2 })])).toBe('UDOUBLE');
    expect(chosen([rep('UDOUBLE', { weight: 2, assignments: 5 }), rep('USINGLE', { assignments: 2 })])).toBe('USINGLE');
  });

  it('spreads a run of leads 2:1:1 over weights 2, 1, 1', () => {
    const team = [rep('UA', { weight: 2 }), rep('UB'), rep('UC')];
    for (let lead = 0; lead < 40; lead++) {
      const next = chooseRep(team)!;
      next.assignments++;
      next.lastAssignedAt = minutes(lead);
    }
    expect(team.map((c) => c.assignments)).toEqual([20, 10, 10]);
  });
});
