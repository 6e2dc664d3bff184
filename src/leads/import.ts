import type { Db } from '../../db/client.js';
import { ImportError, readCsvLeads, type CsvMapping, type CsvSource, type Outcome } from './csv-leads.js';
import { ingestLeads } from './ingest.js';
import { leadKey } from './merge.js';
import type { LeadInput } from './input.js';

// Callers of the import need not know where reading the file ends and writing leads begins.
export { ImportError };

export const DEFAULT_BATCH_SIZE = 1000;
/** A batch is one transaction that locks its leads and holds them in memory: this bounds both. */
export const MAX_BATCH_SIZE = 5000;
/** The summary lists this many rejected rows; the count covers them all. */
export const MAX_REJECTED_LISTED = 100;

export type ImportOptions = CsvSource & CsvMapping & ImportSettings;

export interface ImportSettings {
  /** Queue qualifying leads for posting to sales. Off by default: a historic import must not flood the channel. */
  post?: boolean;
  /** Whether `ana+x@…` is `ana@…` (MERGE_PLUS_ADDRESSES): the email key stored with each lead. */
  mergePlusAddresses?: boolean;
  batchSize?: number;
  now?: Date;
  /** Called after each batch is committed. */
  onProgress?: (progress: ImportProgress) => void;
  /** Stops the import between batches; committed batches stay. */
  signal?: AbortSignal;
}

export interface ImportProgress {
  rowsRead: number;
  seconds: number;
}

export interface ImportSummary {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows whose id an earlier row already had: the later row's values win. */
  duplicateIds: number;
  rejected: number;
  /** The first MAX_REJECTED_LISTED rejected rows. */
  rejectedRows: Array<{ line: number; reason: string }>;
  /** Leads of the file that are over the threshold after the import. */
  qualified: number;
  queuedForSales: number;
  seconds: number;
}

/**
 * Imports a CSV file of leads in batches (one transaction each), scoring them and storing known outcomes.
 * Re-importing the same file changes nothing; a changed row updates its lead.
 */
export async function importCsv(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ImportError(`the batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
  }
  const now = options.now ?? new Date();
  const summary: ImportSummary = {
    rowsRead: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicateIds: 0,
    rejected: 0,
    rejectedRows: [],
    qualified: 0,
    queuedForSales: 0,
    seconds: 0,
  };
  const qualifiedById = new Map<string, boolean>();
  let batch: Array<{ lead: LeadInput; outcome: Outcome | null }> = [];

  const flush = async () => {
    options.signal?.throwIfAborted();
    if (batch.length === 0) return;
    // Keyed as IngestOptions.outcomes documents: source NUL externalId.
    const outcomes = new Map(batch.flatMap((b) => (b.outcome ? [[leadKey(b.lead), b.outcome]] : [])));
    const results = await ingestLeads(
      db,
      batch.map((b) => b.lead),
      { now, actor: 'import', queuePosts: options.post ?? false, mergePlusAddresses: options.mergePlusAddresses, outcomes },
    );
    for (const r of results) {
      summary[r.status]++;
      if (r.queued) summary.queuedForSales++;
      qualifiedById.set(r.externalId, r.qualified);
    }
    batch = [];
    options.onProgress?.({ rowsRead: summary.rowsRead, seconds: (performance.now() - started) / 1000 });
  };

  const seen = new Set<string>();
  for await (const row of readCsvLeads(options)) {
    summary.rowsRead++;
    if ('rejected' in row) {
      summary.rejected++;
      if (summary.rejectedRows.length < MAX_REJECTED_LISTED) summary.rejectedRows.push({ line: row.line, reason: row.rejected });
      continue;
    }
    if (seen.has(row.lead.externalId)) summary.duplicateIds++;
    seen.add(row.lead.externalId);
    batch.push(row);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  summary.qualified = [...qualifiedById.values()].filter(Boolean).length;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
