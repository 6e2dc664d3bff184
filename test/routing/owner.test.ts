/** findOwner: who already works a lead's person or company (same email, or same company domain), on the database. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { companyDomain, findOwner } from '../../src/routing/owner.js';
import { createTestDatabase, resetDatabase, type TestDatabase } from '../helpers/db.js';
import { seedHandoff } from '../helpers/seed.js';

const NOW = new Date('2026-12-01T10:00:00Z');
const DAY = 24 * 3_600_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => resetDatabase(database));

interface Worked {
  email: string | null;
  createdAt?: Date;
  claimedBy?: string;
  decision?: 'accepted' | 'rejected';
  decidedBy?: string;
}

/** A lead with this email and one handoff of it, in the state given (opened a day ago unless said). */
const handoffOf = (h: Worked) =>
  seedHandoff(database, { name: `owner of ${h.email}`, postedAt: h.createdAt ?? daysAgo(1), ...h, createdAt: h.createdAt ?? daysAgo(1) });

const newLead = (email: string | null) => handoffOf({ email, createdAt: NOW });

describe('findOwner', () => {
  it('finds the rep holding an open handoff of the same person', async () => {
    await handoffOf({ email: 'Ana.Lopez@Acme.example', claimedBy: 'UANA' });
    expect(await findOwner(database.db, await newLead('ana.lopez@acme.example'), NOW)).toBe('UANA');
  });

  it('finds the rep who accepted a lead of the same company domain', async () => {
    await handoffOf({ email: 'cto@acme.example', claimedBy: 'UBEN', decision: 'accepted', decidedBy: 'UBEN' });
    expect(await findOwner(database.db, await newLead('buyer@acme.example'), NOW)).toBe('UBEN');
  });

  it('takes who decided when an accepted handoff has no claimer left', async () => {
    await handoffOf({ email: 'cto@acme.example', decision: 'accepted', decidedBy: 'UCY' });
    expect(await findOwner(database.db, await newLead('buyer@acme.example'), NOW)).toBe('UCY');
  });

  it('does not match strangers on a free-mail domain, but does match the same free-mail address', async () => {
    await handoffOf({ email: 'someone@gmail.com', claimedBy: 'UANA' });
    expect(await findOwner(database.db, await newLead('another@gmail.com'), NOW)).toBeNull();
    expect(await findOwner(database.db, await newLead('someone@gmail.com'), NOW)).toBe('UANA');
  });

  it('ignores handoffs nobody owns: unclaimed, rejected, or older than 90 days', async () => {
    await handoffOf({ email: 'a@acme.example' });
    await handoffOf({ email: 'b@acme.example', claimedBy: 'UREJ', decision: 'rejected', decidedBy: 'UREJ' });
    await handoffOf({ email: 'c@acme.example', claimedBy: 'UOLD', createdAt: daysAgo(91) });
    expect(await findOwner(database.db, await newLead('d@acme.example'), NOW)).toBeNull();
    await handoffOf({ email: 'e@acme.example', claimedBy: 'UNEW', createdAt: daysAgo(89) });
    expect(await findOwner(database.db, await newLead('f@acme.example'), NOW)).toBe('UNEW');
  });

  it('prefers the most recent handoff when several reps worked the company', async () => {
    await handoffOf({ email: 'a@acme.example', claimedBy: 'UFIRST', createdAt: daysAgo(30) });
    await handoffOf({ email: 'b@acme.example', claimedBy: 'ULATEST', createdAt: daysAgo(2) });
    await handoffOf({ email: 'c@acme.example', claimedBy: 'UMIDDLE', createdAt: daysAgo(10) });
    expect(await findOwner(database.db, await newLead('d@acme.example'), NOW)).toBe('ULATEST');
  });

  it('is never the handoff itself, and null for a lead without an email', async () => {
    const claimed = await handoffOf({ email: 'self@acme.example', claimedBy: 'USELF' });
    expect(await findOwner(database.db, claimed, NOW)).toBeNull();
    await handoffOf({ email: null, claimedBy: 'UANY' });
    expect(await findOwner(database.db, await newLead(null), NOW)).toBeNull();
  });

  it('matches the whole domain: no subdomains, no wildcard characters', async () => {
    await handoffOf({ email: 'a@eu.acme.example', claimedBy: 'USUB' });
    await handoffOf({ email: 'b@axb.example', claimedBy: 'UWILD' });
    expect(await findOwner(database.db, await newLead('c@acme.example'), NOW)).toBeNull();
    expect(await findOwner(database.db, await newLead('d@a_b.example'), NOW)).toBeNull();
  });
});

describe('companyDomain', () => {
  it('is the part after the @, unless anyone can sign up there', () => {
    expect(companyDomain('ana@acme.example')).toBe('acme.example');
    for (const free of ['ana@gmail.com', 'ana@googlemail.com', 'ana@outlook.com', 'ana@yahoo.co.uk', 'ana@gmx.de', 'ana@proton.me']) {
      expect(companyDomain(free), free).toBeNull();
    }
    expect(companyDomain('not-an-email')).toBeNull();
    expect(companyDomain('trailing@')).toBeNull();
  });
});
