import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';

/**
 * npm run backup -- FILE: a consistent copy of the live database, taken while the gateway serves.
 * VACUUM INTO reads one snapshot (a WAL read transaction), so writers are never blocked and the copy
 * never mixes states; unlike the page-by-page backup API it does not restart when others write.
 */
function main(): void {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('Usage: npm run backup -- FILE   (FILE must not exist yet)\n');
    process.exit(2);
  }
  const destination = path.resolve(target);
  if (fs.existsSync(destination)) {
    process.stderr.write(`${destination} already exists; choose a new file.\n`);
    process.exit(2);
  }
  let sqlitePath: string;
  try {
    const config = loadConfig();
    if (config.postgres) {
      process.stderr.write('DATABASE_URL is set: back up PostgreSQL with its own tools (pg_dump, or base backups and WAL archiving).\n');
      process.exit(2);
    }
    sqlitePath = config.sqlitePath;
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const source = new Database(sqlitePath, { fileMustExist: true, timeout: 5000 });
  try {
    source.prepare('VACUUM INTO ?').run(destination);
  } finally {
    source.close();
  }
  const copy = new Database(destination, { readonly: true });
  const check = copy.pragma('integrity_check', { simple: true });
  const articles = (copy.prepare('SELECT COUNT(*) AS n FROM article').get() as { n: number }).n;
  copy.close();
  if (check !== 'ok') {
    process.stderr.write(`The copy failed its integrity check: ${String(check)}\n`);
    process.exit(1);
  }
  process.stdout.write(`Backed up ${sqlitePath} to ${destination} (${articles} articles, integrity ok).\n`);
}

main();
