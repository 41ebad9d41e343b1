import type { Counter } from 'prom-client';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import fs from 'node:fs';
import path from 'node:path';
import { ENTITIES } from '../entities';
import { BUSY_TIMEOUT_MS } from './db';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { EditorsAndEvents1765000000000 } from './migrations/1765000000000-editors-and-events';
import { Webhooks1766000000000 } from './migrations/1766000000000-webhooks';

export const MIGRATIONS = [InitialSchema1764000000000, EditorsAndEvents1765000000000, Webhooks1766000000000];

/** Counts every statement for /metrics and routes TypeORM's own messages into the structured log. */
class SqlLogger implements TypeOrmLogger {
  constructor(
    private readonly out: Logger,
    private readonly statements: Counter,
  ) {}

  logQuery(query: string, parameters?: unknown[]): void {
    this.statements.inc();
    if (this.out.isLevelEnabled('trace')) this.out.trace({ query, parameters }, 'sql');
  }

  logQueryError(error: string | Error, query: string): void {
    this.out.debug({ err: error, query }, 'sql failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.out.warn({ time, query }, 'slow sql');
  }

  logSchemaBuild(message: string): void {
    this.out.debug(message);
  }

  logMigration(message: string): void {
    this.out.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.out[level === 'log' ? 'debug' : level]({ message }, 'typeorm');
  }
}

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every database call to record a long stack trace
 * and `util.inspect` its SQL and parameters: on the hot path that cost more than the queries. The
 * driver handed to TypeORM answers `verbose()` with the plain module instead.
 */
function quietSqlite3(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3');
  return Object.assign(Object.create(sqlite3), { verbose: () => sqlite3 });
}

export function createDataSource(
  config: Pick<Config, 'sqlitePath' | 'dbDriver'>,
  log: Logger,
  metrics: Metrics,
): DataSource {
  fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
  return new DataSource({
    ...(config.dbDriver === 'sqlite3'
      ? { type: 'sqlite' as const, driver: quietSqlite3() }
      : { type: 'better-sqlite3' as const }),
    database: config.sqlitePath,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    enableWAL: true,
    logger: new SqlLogger(log, metrics.sqlStatements),
    maxQueryExecutionTime: 1000,
  });
}

/**
 * Opens the database, applies the pragmas acknowledged writes rely on, and runs pending migrations.
 * busy_timeout goes first so that the other pragmas wait for a concurrent writer instead of failing.
 */
export async function openDatabase(dataSource: DataSource): Promise<DataSource> {
  await openConnection(dataSource);
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * A second connection to the same database for work no client request asked for (reading the
 * event log for subscribers, delivering webhooks). Its statements are counted apart, so that the
 * request counter says what requests cost; and on SQLite, where TypeORM shares one connection, it
 * sees only committed rows, whatever transaction the request connection has open.
 */
export async function openBackgroundConnection(db: DataSource, log: Logger, metrics: Metrics): Promise<DataSource> {
  return openConnection(new DataSource({ ...db.options, logger: new SqlLogger(log, metrics.backgroundSqlStatements), migrationsRun: false }));
}

async function openConnection(dataSource: DataSource): Promise<DataSource> {
  await dataSource.initialize();
  // better-sqlite3 waits for a lock on the JavaScript thread, which would freeze every request for
  // up to 5 s; with it the wait happens in writeTransaction's asynchronous retry instead.
  const synchronousDriver = dataSource.driver.options.type === 'better-sqlite3';
  await dataSource.query(`PRAGMA busy_timeout = ${synchronousDriver ? 0 : BUSY_TIMEOUT_MS}`);
  // FULL: a write the gateway acknowledged survives a power loss, not only a process crash.
  await dataSource.query('PRAGMA synchronous = FULL');
  await dataSource.query('PRAGMA foreign_keys = ON');
  return dataSource;
}
