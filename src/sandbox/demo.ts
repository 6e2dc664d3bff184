import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client.js';
import { countLeadsFromSource } from '../../db/queries/leads.js';
import { readCsvLeads } from '../leads/csv-leads.js';
import { ingestLeads, type IngestedLead } from '../leads/ingest.js';
import type { EventInput, LeadInput } from '../leads/input.js';
import { leadKey } from '../leads/merge.js';
import { loadDemoHistory } from './demo-history.js';

/*
 * "Load demo leads": the next few hundred rows of the shipped X Education data, imported the way a CRM
 * back-fill is (scored, not posted), then fresh activity for a handful of them through the same ingest the
 * API uses, so those few are handed to sales as real MQLs are. The data set has no names, so each lead gets a
 * made-up person, company and title; everything the scoring reads comes from the file, and so does each lead's
 * known outcome (Converted), which the marketer's backtest measures criteria against. A few more qualified leads
 * get a past as MQLs (decided by reps, some won or lost in the CRM), so the funnel has something to show.
 */

export const DEMO_SOURCE = 'demo';
export const DEMO_CSV = fileURLToPath(new URL('../../data/x-education-leads.csv', import.meta.url));
const BATCH = 300;
const FRESH_QUALIFIED = 3;
const FRESH_NEAR_LINE = 2;

const FIRST = [
  'Jane',
  'Omar',
  'Priya',
  'Lukas',
  'Mei',
  'Carlos',
  'Aisha',
  'Tom',
  'Sofia',
  'Kenji',
  'Nora',
  'Ravi',
  'Elena',
  'Sam',
  'Fatima',
  'Jonas',
];
const LAST = [
  'Doe',
  'Haddad',
  'Iyer',
  'Becker',
  'Chen',
  'Ortega',
  'Bello',
  'Walsh',
  'Rossi',
  'Sato',
  'Lind',
  'Kapoor',
  'Novak',
  'Reid',
  'Zahra',
  'Berg',
];
const COMPANIES = [
  'Acme Learning',
  'Brightpath',
  'Northwind Academy',
  'Globex Training',
  'Initech',
  'Umbrella Skills',
  'Stark Tutors',
  'Hooli Campus',
];
const TITLES = [
  'VP Engineering',
  'Director of Operations',
  'Head of Learning',
  'Product manager',
  'Data analyst',
  'Teacher',
  'Student',
  'Chief People Officer',
  'HR manager',
  'Software engineer',
];

export interface DemoResult {
  imported: number;
  qualified: number;
  posted: number;
  /** Leads given a past as MQLs, decided weeks ago. */
  pastMqls: number;
}

/** A made-up person for the n-th demo lead: stable across runs, so a re-load updates rather than duplicates. */
export function demoPerson(n: number): Pick<LeadInput, 'name' | 'email' | 'company' | 'title'> {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  const company = COMPANIES[(n * 7) % COMPANIES.length]!;
  const domain = `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}${n}@${domain}`.toLowerCase(),
    company,
    title: TITLES[(n * 3) % TITLES.length]!,
  };
}

/** The next rows of the file as leads, with the outcome each one had (so backtests have something to measure). */
async function nextRows(offset: number, count: number, csvFile: string): Promise<{ leads: LeadInput[]; outcomes: Map<string, string> }> {
  const leads: LeadInput[] = [];
  const outcomes = new Map<string, string>();
  let index = 0;
  for await (const row of readCsvLeads({ file: csvFile, source: DEMO_SOURCE, idColumn: 'Prospect ID', outcomeColumn: 'Converted' })) {
    if ('rejected' in row || index++ < offset) continue;
    leads.push({ ...row.lead, ...demoPerson(offset + leads.length) });
    if (row.outcome) outcomes.set(leadKey(row.lead), row.outcome);
    if (leads.length === count) break;
  }
  return { leads, outcomes };
}

/** Activity that arrives "now": a form for leads just under the line, webinar and email clicks for the rest. */
function freshActivity(lead: IngestedLead, nearLine: boolean, now: Date, n: number): LeadInput {
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const events: EventInput[] = nearLine
    ? [{ type: 'form_submit', occurredAt: minutesAgo(2 + n), data: { form: 'Request a demo' } }]
    : [
        { type: 'webinar_attended', occurredAt: minutesAgo(30 + n), data: { webinar: 'Lead scoring 101' } },
        { type: 'email_click', occurredAt: minutesAgo(6 + n), data: { campaign: 'November newsletter' } },
      ];
  return { source: lead.source, externalId: lead.externalId, events };
}

export async function loadDemoLeads(db: Db, now: Date, csvFile: string = DEMO_CSV): Promise<DemoResult> {
  const offset = await countLeadsFromSource(db, DEMO_SOURCE);
  const { leads, outcomes } = await nextRows(offset, BATCH, csvFile);
  const imported = await ingestLeads(db, leads, { now, actor: 'sandbox', queuePosts: false, outcomes });
  const fresh = imported.filter((l) => l.stage === 'lead');
  const strongest = fresh
    .filter((l) => l.qualified)
    .sort((a, b) => b.score - a.score)
    .slice(0, FRESH_QUALIFIED);
  // Closest to the line first, so a form is what tips them over.
  const nearLine = fresh
    .filter((l) => !l.qualified)
    .sort((a, b) => b.score - a.score)
    .slice(0, FRESH_NEAR_LINE);
  const activity = [...strongest.map((l, i) => freshActivity(l, false, now, i)), ...nearLine.map((l, i) => freshActivity(l, true, now, i))];
  const touched = activity.length ? await ingestLeads(db, activity, { now, actor: 'sandbox', queuePosts: true }) : [];
  const pastMqls = await loadDemoHistory(
    db,
    fresh.filter((l) => l.qualified && !strongest.includes(l)),
    now,
  );
  return {
    pastMqls,
    imported: imported.length,
    qualified: imported.filter((l) => l.qualified).length,
    posted: touched.filter((l) => l.queued).length,
  };
}
