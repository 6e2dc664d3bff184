import { fileURLToPath } from 'node:url';
import { beforeAll, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { importCsv } from '../../src/leads/import.js';
import type { TestApp } from '../../harness/app.js';
import type { FakeSlack } from '../helpers/fake-slack.js';
import { useTestApp } from '../helpers/use-test-app.js';

export const CSV = fileURLToPath(new URL('../../data/x-education-leads.csv', import.meta.url));

export interface SlackReply {
  response_type?: string;
  text: string;
  blocks?: Array<{ type: string; text?: { text: string } }>;
}

/** Sends a signed `/mql <text>` and returns the reply: the ack itself, or what followed on the response_url. */
export async function ask(t: TestApp, fakeSlack: FakeSlack, text: string, user = 'UREP1'): Promise<SlackReply> {
  const before = fakeSlack.responses.length;
  const res = await t.command(text, user);
  if (res.status !== 200) throw new Error(`/mql ${text} answered ${res.status}`);
  if (res.body) return res.body as SlackReply;
  const responses = await fakeSlack.waitForResponses(before + 1);
  return responses[before] as unknown as SlackReply;
}

/** What the user reads: the blocks' text (or the plain text when there are no blocks). */
export const readable = (reply: SlackReply) => (reply.blocks?.length ? reply.blocks.map((b) => b.text?.text ?? '').join('\n') : reply.text);

export async function count(db: Db, table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`));
  return row!.n;
}

/** The real X Education leads, with their `Converted` outcome, imported without posting. */
export async function importRealLeads(db: Db) {
  return importCsv(db, { file: CSV, source: 'xed', idColumn: 'Prospect ID', outcomeColumn: 'Converted', batchSize: 5000 });
}

/** The test file's app, its database holding the real leads (imported before the file's tests). */
export function useAppWithRealLeads() {
  const app = useTestApp();
  beforeAll(async () => {
    const summary = await importRealLeads(app.database.db);
    expect(summary.inserted).toBe(9240);
  });
  return app;
}
