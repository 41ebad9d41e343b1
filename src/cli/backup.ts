import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { backUpSqlite } from '../db/backup';

/** npm run backup -- FILE: a consistent copy of the live database, taken while the gateway serves. */
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
  const { integrity: check, articles } = backUpSqlite(sqlitePath, destination);
  if (check !== 'ok') {
    process.stderr.write(`The copy failed its integrity check: ${String(check)}\n`);
    process.exit(1);
  }
  process.stdout.write(`Backed up ${sqlitePath} to ${destination} (${articles} articles, integrity ok).\n`);
}

main();
