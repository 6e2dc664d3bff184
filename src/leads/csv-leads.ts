import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type Info } from 'csv-parse';
import type { AttributeValue } from '../scoring/types.js';
import { fieldErrors, leadInput, type LeadInput } from './input.js';
import { CORE_FIELDS } from './merge.js';
import { unstorableCharacter } from '../text/storable.js';

/*
 * Reading leads out of a CSV file: which column becomes what, how cells read, which rows are rejected.
 * Kept apart from the database side (import.ts) so the mapping can be used in memory (benchmarks, previews).
 */

export type Outcome = 'converted' | 'not_converted';

/**
 * How outcome cells read. A blank or "Select" cell means the outcome is unknown (the lead is imported without
 * one); any other value rejects the row, since it usually means the wrong column was named.
 */
const OUTCOMES: Record<string, Outcome> = {
  '1': 'converted',
  yes: 'converted',
  true: 'converted',
  converted: 'converted',
  '0': 'not_converted',
  no: 'not_converted',
  false: 'not_converted',
  not_converted: 'not_converted',
  'not converted': 'not_converted',
};

/** A problem with the file or the options as a whole: the CLI shows the message alone. */
export class ImportError extends Error {}

export type CsvSource = { file: string } | { stream: Readable; name: string };

export interface CsvMapping {
  /** Stored as the leads' `source`: with the id column it identifies a lead across re-imports. */
  source: string;
  idColumn: string;
  outcomeColumn?: string;
}

export type CsvRow = { line: number; lead: LeadInput; outcome: Outcome | null } | { line: number; rejected: string };

type CoreField = (typeof CORE_FIELDS)[number];
type ColumnRole = { kind: 'id' } | { kind: 'outcome' } | { kind: 'core'; field: CoreField } | { kind: 'attribute' };
interface Column {
  index: number;
  name: string;
  role: ColumnRole;
}
interface Layout {
  columns: Column[];
  headerWidth: number;
  /** Fields a row needs to reach its last used column. */
  usedWidth: number;
}

/**
 * The leads in a CSV file, one per data row, with the 1-based line each row starts on (the header is line 1).
 * A row that cannot be a lead comes back rejected with the reason; a problem with the file itself throws.
 */
export async function* readCsvLeads(input: CsvSource & CsvMapping): AsyncGenerator<CsvRow> {
  const name = 'file' in input ? input.file : input.name;
  let layout: Layout | undefined;
  for await (const { record, line } of csvRecords('file' in input ? await openCsvFile(input.file) : input.stream, name)) {
    if (!layout) {
      layout = planColumns(record, input);
      continue;
    }
    const problem = widthProblem(record, layout);
    yield problem ? { line, rejected: problem } : { line, ...buildLead(record, layout.columns, input.source) };
  }
  if (!layout) throw new ImportError(`${name} is empty: expected a header row naming the columns`);
}

/** Opens a file for reading leads; a file that cannot be opened is an ImportError naming it. */
export async function openCsvFile(file: string): Promise<Readable> {
  try {
    return (await open(file)).createReadStream();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

async function* csvRecords(stream: Readable, name: string): AsyncGenerator<{ record: string[]; line: number }> {
  // Arrays rather than `columns: true`: empty-named columns can be dropped and short or long rows rejected by line.
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  const piping = pipeline(stream, parser);
  piping.catch(() => {}); // a failure surfaces through the iteration below
  // Lines are counted here: csv-parse's `info.lines` counts a CRLF inside a quoted field as two lines.
  let nextLine = 1;
  let emptyLines = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      nextLine += info.empty_lines - emptyLines;
      emptyLines = info.empty_lines;
      const line = nextLine;
      nextLine += 1 + record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      yield { record, line };
    }
    await piping;
  } catch (error) {
    if (error instanceof CsvError) throw new ImportError(`${name} is not valid CSV: ${error.message}`);
    if ((error as NodeJS.ErrnoException).syscall) throw new ImportError(`cannot read ${name}: ${(error as Error).message}`);
    throw error;
  }
}

function findColumn(header: string[], wanted: string, option: string): number {
  const exact = header.indexOf(wanted.trim());
  if (exact >= 0) return exact;
  const folded = header.flatMap((h, i) => (h.toLowerCase() === wanted.trim().toLowerCase() ? [i] : []));
  if (folded.length === 1) return folded[0]!;
  const known = header
    .filter(Boolean)
    .map((h) => `"${h}"`)
    .join(', ');
  throw new ImportError(`${option} "${wanted}" is not a column of the file; its columns are ${known}`);
}

/** What each column becomes. Columns with an empty name (e.g. from a trailing comma) are ignored. */
function planColumns(rawHeader: string[], mapping: CsvMapping): Layout {
  const header = rawHeader.map((h) => h.trim());
  const idIndex = findColumn(header, mapping.idColumn, '--id-column');
  const outcomeIndex = mapping.outcomeColumn === undefined ? -1 : findColumn(header, mapping.outcomeColumn, '--outcome-column');
  if (outcomeIndex === idIndex) throw new ImportError('the id column cannot also be the outcome column');
  const columns = header.flatMap((name, index): Column[] => {
    if (index === idIndex) return [{ index, name, role: { kind: 'id' } }];
    if (index === outcomeIndex) return [{ index, name, role: { kind: 'outcome' } }];
    if (name === '') return [];
    // Assigned as an attribute, `__proto__` would set the object's prototype and vanish (as the API refuses it).
    if (name === '__proto__') throw new ImportError('the column "__proto__" has a reserved name; rename it to import it');
    // A column named like a core field fills that field, so rules such as `country = India` see imported data.
    const core = CORE_FIELDS.find((f) => f === name.toLowerCase());
    return [{ index, name, role: core ? { kind: 'core', field: core } : { kind: 'attribute' } }];
  });
  const targets = columns.map((c) => (c.role.kind === 'core' ? c.role.field : c.name));
  const repeated = [...new Set(targets.filter((t, i) => targets.indexOf(t) !== i))];
  if (repeated.length) throw new ImportError(`more than one column fills ${repeated.map((t) => `"${t}"`).join(', ')}`);
  return { columns, headerWidth: header.length, usedWidth: Math.max(...columns.map((c) => c.index)) + 1 };
}

/** Rows may lack trailing ignored columns or carry extra empty fields (trailing commas), nothing more. */
function widthProblem(record: string[], { headerWidth, usedWidth }: Layout): string | null {
  const extra = record.slice(headerWidth).some((field) => field.trim() !== '');
  return record.length < usedWidth || extra ? `has ${record.length} fields, the header has ${headerWidth}` : null;
}

/** Plain decimals without leading zeros ("02134" is a code) and with no more digits than a double keeps exactly. */
const PLAIN_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const MAX_EXACT_DIGITS = 15;

/** "Select" is what the source form stored when the person left a field empty. */
function cellValue(raw: string): string | number | null {
  const text = raw.trim();
  if (text === '' || text.toLowerCase() === 'select') return null;
  if (PLAIN_NUMBER.test(text) && text.replace(/\D/g, '').length <= MAX_EXACT_DIGITS) return Number(text);
  return text;
}

function buildLead(
  record: string[],
  columns: Column[],
  source: string,
): { lead: LeadInput; outcome: Outcome | null } | { rejected: string } {
  const lead: Record<string, unknown> = { source, externalId: '' };
  const attributes: Record<string, AttributeValue> = {};
  let outcome: Outcome | null = null;
  for (const column of columns) {
    const raw = record[column.index] ?? '';
    // The database cannot store these in any column: the row is refused here, by line, not the whole batch there.
    const unstorable = unstorableCharacter(raw);
    if (unstorable) return { rejected: `${column.name}: contains ${unstorable}` };
    const value = cellValue(raw);
    switch (column.role.kind) {
      case 'id':
        lead.externalId = raw.trim();
        break;
      case 'outcome':
        if (value !== null) {
          const known = OUTCOMES[String(value).toLowerCase()];
          if (!known)
            return { rejected: `${column.name}: "${raw.trim()}" is not an outcome (1/0, yes/no, true/false, converted/not_converted)` };
          outcome = known;
        }
        break;
      case 'core':
        // Core fields are text: a numeric-looking name or company stays as written.
        lead[column.role.field] = value === null ? null : raw.trim();
        break;
      case 'attribute':
        attributes[column.name] = value;
    }
  }
  lead.attributes = attributes;
  const parsed = leadInput.safeParse(lead);
  if (parsed.success) return { lead: parsed.data, outcome };
  const columnOf = (path: string) =>
    path === 'externalId'
      ? columns.find((c) => c.role.kind === 'id')!.name
      : (columns.find((c) => c.role.kind === 'core' && c.role.field === path)?.name ?? path.replace(/^attributes\./, ''));
  return {
    rejected: fieldErrors(parsed.error)
      .map((e) => `${columnOf(e.path)}: ${e.message}`)
      .join('; '),
  };
}
