/** When generated leads' events happen: lead n's at `start` + n × `spacingMs`. */
export interface Timeline {
  start: number;
  spacingMs: number;
}

const DAY_MS = 86_400_000;

/**
 * `total` leads spread up to now, a minute apart, closer when that would reach back more than 20 days: every event
 * is in the past (the API refuses future ones) and inside the default 30-day window, whenever the bench runs.
 */
export function timelineEndingNow(total: number): Timeline {
  const spacingMs = Math.min(60_000, Math.floor((20 * DAY_MS) / total));
  return { start: Date.now() - (total + 1) * spacingMs, spacingMs };
}

/**
 * Leads `first` … `first + count − 1` like a form/marketing-automation feed sends them: a few attributes, a few
 * events; about a quarter qualify.
 */
export function generatedLeads(first: number, count: number, { start, spacingMs }: Timeline) {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const at = (seconds: number) => new Date(start + n * spacingMs + seconds * 1000).toISOString();
    return {
      source: 'bench',
      externalId: `lead-${n}`,
      email: `lead-${n}@example.com`,
      name: `Lead ${n}`,
      company: `Company ${n % 97}`,
      title: ['Engineer', 'Analyst', 'VP Sales', 'Student'][n % 4]!,
      country: ['India', 'United States', 'Germany'][n % 3]!,
      attributes: {
        'Lead Origin': n % 10 === 0 ? 'Lead Add Form' : 'Landing Page Submission',
        TotalVisits: n % 9,
        'Total Time Spent on Website': (n * 37) % 1000,
        'Do Not Email': n % 10 === 0 ? 'Yes' : 'No',
      },
      events: [
        { type: 'email_open', occurredAt: at(0) },
        { type: 'email_click', occurredAt: at(1) },
        ...(n % 7 === 0 ? [{ type: 'form_submit', occurredAt: at(2) }] : []),
      ],
    };
  });
}

export type GeneratedLead = ReturnType<typeof generatedLeads>[number];
