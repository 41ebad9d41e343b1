import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { bootstrap } from '../bootstrap';
import { closeDatabase } from '../db/data-source';
import { seedSynthetic } from '../seed/synthetic';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { articles: { type: 'string' } } });
  const count = Number(values.articles);
  if (!values.articles || !Number.isInteger(count) || count < 1 || count > 10_000_000) {
    process.stderr.write('Usage: npm run seed -- --articles N   (N from 1 to 10,000,000)\n');
    process.exit(2);
  }
  const { db, log, config } = await bootstrap();
  const started = Date.now();
  const summary = await seedSynthetic(db, count);
  const database = config.postgres ? 'PostgreSQL (DATABASE_URL)' : config.sqlitePath;
  log.info({ ...summary, database, seconds: (Date.now() - started) / 1000 }, 'synthetic data set ready');
  await closeDatabase(db);
}

main().catch((err) => {
  process.stderr.write(`Seeding failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
