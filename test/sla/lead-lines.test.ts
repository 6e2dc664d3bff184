import { describe, expect, it } from 'vitest';
import { stalledText } from '../../src/sla/lead-lines.js';
import type { StalledLead } from '../../src/sla/report.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const lead = (o: Partial<StalledLead>): StalledLead => ({
  handoffId: 1,
  lead: { name: 'Jonas Chen', email: null, company: 'Brightpath', externalId: 'j1' },
  channel: null,
  messageTs: null,
  kind: 'undecided',
  waitedMs: DAY,
  totalWaitedMs: DAY,
  sinceRelease: false,
  owner: 'UANA',
  ...o,
});
const sla = { claimSlaMs: 15 * MIN, decisionSlaMs: DAY };

describe('a stalled lead in one line', () => {
  it('says by how much a lead is late when its wait reads like the SLA itself', () => {
    expect(stalledText(lead({ waitedMs: DAY + 16 * MIN, totalWaitedMs: DAY + 20 * MIN }), sla)).toBe(
      'Jonas Chen · Brightpath — owner: <@UANA> · undecided for 1 d (decision SLA 1 d, 16 min over) · waited 1 d in total',
    );
    expect(stalledText(lead({ kind: 'unclaimed', owner: null, waitedMs: 15 * MIN + 30_000 }), sla)).toBe(
      'Jonas Chen · Brightpath — owner: nobody · unclaimed for 15 min (claim SLA 15 min, 30 s over)',
    );
  });

  it('leaves the overrun out when the two figures already show it', () => {
    expect(stalledText(lead({ kind: 'unclaimed', owner: null, waitedMs: 40 * MIN }), sla)).toBe(
      'Jonas Chen · Brightpath — owner: nobody · unclaimed for 40 min (claim SLA 15 min)',
    );
  });
});
