import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A scratch folder for the test file's CSV files, removed after the file, and `csvFile`, which writes one there. */
export function useScratchDir() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mql-import-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  let csvCount = 0;
  function csvFile(text: string): string {
    const file = path.join(scratch, `leads-${++csvCount}.csv`);
    writeFileSync(file, text);
    return file;
  }

  return { scratch, csvFile };
}
