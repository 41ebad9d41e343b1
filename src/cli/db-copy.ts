import 'reflect-metadata';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { CopyRefused, copySqliteToPostgres, verifyCopy } from '../db/sqlite-to-postgres';
import { closeDatabase, createDataSource, openDatabase } from '../db/data-source';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';

const USAGE = `Usage: npm run db:copy -- --from SQLITE_FILE --to postgres://... [--batch-size N] [--verify]
Copies an embedded installation into PostgreSQL (migrating the target first), in batches; run it
again after an interruption to resume. Ends by comparing row counts and checksums of every table.
--verify only compares a finished copy with its source. Copy from a stopped gateway or from a
backup (npm run backup), not from a file still being written.
`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'batch-size': { type: 'string', default: '5000' },
      verify: { type: 'boolean', default: false },
    },
  });
  if (!values.from || !fs.existsSync(values.from)) usage(`--from must name an existing SQLite file${values.from ? ` (${values.from} does not exist)` : ''}.`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) usage('--batch-size must be a whole number from 1 to 100000.');
  let config;
  try {
    config = loadConfig({ ...process.env, DATABASE_URL: values.to ?? '' });
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message.replace(/DATABASE_URL/g, '--to'));
    throw err;
  }
  if (!config.postgres) usage('--to must be a postgres:// URL.');
  const log = createLogger({ ...config, logLevel: 'warn' });
  const target = await openDatabase(createDataSource(config, log, createMetrics()));
  try {
    const reports = values.verify
      ? await verifyCopy(values.from, target, batchSize)
      : await copySqliteToPostgres(values.from, target, {
          batchSize,
          progress: (table, copied, total) => process.stdout.write(`copied ${table}: ${copied} of ${total}\n`),
        });
    process.stdout.write('\ntable                        rows  checksum (sha-256, first 16)  match\n');
    for (const r of reports) {
      const rows = r.sourceRows === r.targetRows ? String(r.sourceRows) : `${r.sourceRows} vs ${r.targetRows}`;
      const sum = r.sourceChecksum === r.targetChecksum ? r.sourceChecksum.slice(0, 16) : `${r.sourceChecksum.slice(0, 7)}≠${r.targetChecksum.slice(0, 7)}`;
      process.stdout.write(`${r.table.padEnd(26)} ${rows.padStart(7)}  ${sum.padEnd(28)}  ${r.ok ? 'ok' : 'MISMATCH'}\n`);
    }
    if (reports.some((r) => !r.ok)) {
      process.stderr.write('The copy does not match its source; the target is left as it is for inspection.\n');
      process.exitCode = 1;
    } else {
      process.stdout.write('Every table matches its source.\n');
    }
  } catch (err) {
    if (!(err instanceof CopyRefused)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  } finally {
    await closeDatabase(target);
  }
}

main().catch((err) => {
  process.stderr.write(`db:copy failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
