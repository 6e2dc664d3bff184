import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useScratchDir } from './fixtures.js';

const { scratch, csvFile } = useScratchDir();

describe('npm run import', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => {
    // Never the suite's DATABASE_URL: the CLI works on an embedded database of its own.
    const { DATABASE_URL: _, ...inherited } = process.env;
    return promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['src/leads/import-cli.ts', ...args], {
      env: { ...inherited, DATA_DIR: path.join(scratch, 'cli-data'), ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  };

  it('answers bad arguments with the usage text and exit code 2', async () => {
    const result = await cli(['leads.csv', '--source', 'crm', '--batch-size', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--id-column is required');
    expect(result.stderr).toContain('Usage: npm run import -- <file.csv> --source <name> --id-column <column>');
  });

  it('fails with exit code 1 and a one-line reason, without touching a database, when the file is missing', async () => {
    const result = await cli([path.join(scratch, 'missing.csv'), '--source', 'crm', '--id-column', 'id'], {
      DATA_DIR: path.join(scratch, 'never-created'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Import failed: cannot read .*missing\.csv: no such file\n$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(scratch, 'never-created'))).toBe(false);
  });

  it('imports a file into the embedded database, reporting progress on stderr and the summary on stdout', async () => {
    const file = csvFile(['id,Lead Origin', 'a,Lead Add Form', 'b,API', ',API'].join('\n'));
    const result = await cli([file, '--source', 'crm', '--id-column', 'id']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/3 rows read, [\d,]+ rows\/s/);
    expect(result.stdout).toMatch(/inserted +2\n/);
    expect(result.stdout).toMatch(/qualified +1\n/);
    expect(result.stdout).toContain('line 4: id: is required');
  });
});
