import 'reflect-metadata';
import v8 from 'node:v8';
import { bootstrap } from './bootstrap';
import { closeDatabase } from './db/data-source';
import { createServer } from './app';

// Under fast allocation V8 lets the old generation grow to four times what survived the last full
// collection before collecting again, and keeps what it grew; growing by 100 % instead holds the
// gateway's memory near what it uses, at no cost in throughput (docs/performance.md). V8 reads the
// factor at each collection, so setting it before any request runs is enough.
v8.setFlagsFromString('--heap-growing-percent=100');

async function main(): Promise<void> {
  const { config, log, metrics, db } = await bootstrap();
  const gateway = await createServer({ config, db, log, metrics });
  const url = await gateway.listen(config.port, config.host);
  const database = config.postgres ? { database: redactPassword(config.postgres.url), replicas: config.postgres.replicaUrls.length } : { database: config.sqlitePath, driver: config.dbDriver };
  log.info({ url: `${url}/graphql`, ...database }, 'gateway listening');
  if (!config.metrics.onMainPort && config.metrics.port === undefined) {
    log.warn(`/metrics is not served: HOST=${config.host} is not a loopback address; set METRICS_PORT or METRICS_TOKEN to read it`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await gateway.stop(config.shutdownDelayMs);
    await closeDatabase(db);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main().catch((err) => {
  process.stderr.write(`The gateway could not start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
