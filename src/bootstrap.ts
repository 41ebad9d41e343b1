import type { DataSource } from 'typeorm';
import { Config, ConfigError, loadConfig } from './config';
import { createDataSource, openDatabase } from './db/data-source';
import { createLogger, Logger } from './observability/logger';
import { createMetrics, Metrics } from './observability/metrics';
import { seedReferenceContent } from './seed/reference-content';

export interface Runtime {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: DataSource;
}

/** Config, logger, metrics and a migrated database holding at least the reference content. */
export async function bootstrap(): Promise<Runtime> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config);
  const metrics = createMetrics();
  const db = await openDatabase(createDataSource(config, log, metrics), async (opened) => {
    if (await seedReferenceContent(opened)) log.info('loaded the reference content into an empty database');
  });
  return { config, log, metrics, db };
}
