import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'node-flags.js');

/** What `npm start` puts on node's command line for a database setup (npm test builds first). */
function printedFlags(env: Record<string, string>): string[] {
  const { DB_DRIVER, DATABASE_URL, ...rest } = process.env;
  return execFileSync(process.execPath, [CLI], { env: { ...rest, ...env }, encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
}

/** The young generation's size, in MB, of a node started with `flags`. */
function youngGenerationMb(flags: string[]): number {
  const script = "process.stdout.write(String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))";
  return Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' })) / 2 ** 20;
}

describe('node flags for the database setup', () => {
  it('gives the sqlite3 driver, the default, a young generation of at least 16 MB from the start', () => {
    expect(youngGenerationMb([])).toBeLessThan(16);
    for (const env of [{}, { DB_DRIVER: 'sqlite3' }] as Array<Record<string, string>>) {
      const flags = printedFlags(env);
      expect(flags.length).toBeGreaterThan(0);
      expect(youngGenerationMb(flags)).toBeGreaterThanOrEqual(16);
    }
  });

  it('leaves better-sqlite3 and PostgreSQL with node as it is', () => {
    expect(printedFlags({ DB_DRIVER: 'better-sqlite3' })).toEqual([]);
    expect(printedFlags({ DATABASE_URL: 'postgres://127.0.0.1:5432/gateway' })).toEqual([]);
  });

  it('is what npm start runs node with', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toContain('node $(node dist/src/cli/node-flags.js) dist/src/main.js');
  });
});
