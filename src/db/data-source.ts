import type { Counter } from 'prom-client';
import { DataSource, DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import fs from 'node:fs';
import path from 'node:path';
import { ENTITIES } from '../../entities';
import { BUSY_TIMEOUT_MS, readConnectionOf, useReadConnection } from './sql';
import type { Config, PostgresSettings } from '../config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { EditorsAndEvents1765000000000 } from './migrations/1765000000000-editors-and-events';
import { Webhooks1766000000000 } from './migrations/1766000000000-webhooks';
import { EventCacheKeys1767000000000 } from './migrations/1767000000000-event-cache-keys';

export const MIGRATIONS = [InitialSchema1764000000000, EditorsAndEvents1765000000000, Webhooks1766000000000, EventCacheKeys1767000000000];

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

export function createDataSource(
  config: Pick<Config, 'sqlitePath' | 'dbDriver' | 'postgres'>,
  log: Logger,
  metrics: Metrics,
): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logger: new SqlLogger(log, metrics.sqlStatements),
    maxQueryExecutionTime: 1000,
  };
  if (config.postgres) return new DataSource({ ...common, ...postgresOptions(config.postgres) });
  fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
  return new DataSource({
    ...common,
    type: config.dbDriver === 'sqlite3' ? ('sqlite' as const) : ('better-sqlite3' as const),
    database: config.sqlitePath,
    enableWAL: true,
  });
}

/**
 * node-postgres waits forever for a free connection unless told otherwise, and a statement can run
 * for as long as it likes: both are bounded here. Every session runs in UTC because the services
 * pass times as zone-less 'YYYY-MM-DD HH:MM:SS' text (the form SQLite stores).
 */
function postgresOptions(settings: PostgresSettings) {
  const pool = {
    connectTimeoutMS: settings.connectTimeoutMs,
    poolSize: settings.poolMax,
    applicationName: 'content-gateway',
    extra: {
      idleTimeoutMillis: settings.idleTimeoutMs,
      statement_timeout: settings.statementTimeoutMs,
      options: '-c TimeZone=UTC',
    },
  };
  if (settings.replicaUrls.length === 0) return { type: 'postgres' as const, url: settings.url, ...pool };
  return {
    type: 'postgres' as const,
    ...pool,
    replication: { master: { url: settings.url }, slaves: settings.replicaUrls.map((url) => ({ url })) },
  };
}

/**
 * With read replicas: a view of the data source whose plain queries run on a replica. Loaders and
 * read services get it for queries; transactions, and everything a mutation reads, stay on the
 * primary. Without replicas it is the data source itself.
 */
export function replicaReads(db: DataSource): DataSource {
  if (db.options.type !== 'postgres' || !db.options.replication) return db;
  return Object.create(db, {
    query: {
      value: async (sql: string, parameters?: unknown[]) => {
        const runner = db.createQueryRunner('slave');
        try {
          return await runner.query(sql, parameters);
        } finally {
          await runner.release();
        }
      },
    },
  }) as DataSource;
}

/**
 * Opens the database, applies the pragmas acknowledged writes rely on, runs pending migrations and
 * then `prepare` (first-start seeding), if given. busy_timeout goes first so that the other pragmas
 * wait for a concurrent writer instead of failing.
 */
export async function openDatabase(dataSource: DataSource, prepare?: (db: DataSource) => Promise<unknown>): Promise<DataSource> {
  await openConnection(dataSource);
  const migrate = async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    await prepare?.(dataSource);
  };
  if (dataSource.options.type !== 'postgres') {
    await migrate();
    return dataSource;
  }
  // Instances that start together (a fresh deployment, a rolling upgrade) would each run the same
  // pending migration and seed the same empty database: the first to take this session lock does
  // both, the others wait and find nothing left to do.
  const lock = dataSource.createQueryRunner('master');
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
  return dataSource;
}

/** Any fixed number, the same in every instance: the advisory lock migrations run under. */
const MIGRATION_LOCK = 7_264_000;

/**
 * A second connection to the same database for work no client request asked for (reading the
 * event log for subscribers, delivering webhooks). Its statements are counted apart, so that the
 * request counter says what requests cost; and on SQLite, where TypeORM shares one connection, it
 * sees only committed rows, whatever transaction the request connection has open.
 */
export async function openBackgroundConnection(db: DataSource, log: Logger, metrics: Metrics): Promise<DataSource> {
  const logger = new SqlLogger(log, metrics.backgroundSqlStatements);
  if (db.options.type !== 'postgres') return openConnection(new DataSource({ ...db.options, logger }));
  // The event log must be read where it is written: never from a replica that may lag.
  const { replication, ...options } = db.options;
  const url = replication ? (replication.master as { url: string }).url : options.url;
  return openConnection(new DataSource({ ...options, url, logger, poolSize: 2 }));
}

async function openConnection(dataSource: DataSource): Promise<DataSource> {
  await dataSource.initialize();
  if (dataSource.options.type === 'postgres') return dataSource;
  await applyPragmas(dataSource);
  // FULL: a write the gateway acknowledged survives a power loss, not only a process crash.
  await dataSource.query('PRAGMA synchronous = FULL');
  const reads = new DataSource({ ...dataSource.options, migrations: [] } as DataSourceOptions);
  await reads.initialize();
  await applyPragmas(reads);
  await reads.query('PRAGMA query_only = ON');
  useReadConnection(dataSource, reads);
  return dataSource;
}

async function applyPragmas(dataSource: DataSource): Promise<void> {
  // better-sqlite3 waits for a lock on the JavaScript thread, which would freeze every request for
  // up to 5 s; with it the wait happens in writeTransaction's asynchronous retry instead.
  const synchronousDriver = dataSource.driver.options.type === 'better-sqlite3';
  await dataSource.query(`PRAGMA busy_timeout = ${synchronousDriver ? 0 : BUSY_TIMEOUT_MS}`);
  await dataSource.query('PRAGMA foreign_keys = ON');
}

/** Closes a data source opened by openDatabase or openBackgroundConnection, with its read connection. */
export async function closeDatabase(dataSource: DataSource): Promise<void> {
  const reads = readConnectionOf(dataSource);
  if (reads?.isInitialized) await reads.destroy();
  if (dataSource.isInitialized) await dataSource.destroy();
}
