import type { Database, Statement } from 'sqlite3';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { Row } from './db';
import { JsonRows, jsonRows } from './sqlite-json-rows';

/**
 * Reads on the `sqlite3` driver: statements reused, rows as JSON where that is safe.
 * TypeORM prepares, runs and finalizes every statement there (its better-sqlite3 driver keeps a
 * cache; this one has none): with reuse W1 and W2 ran about 12 % faster in the median of
 * interleaved A/B runs. Each statement queues its runs, so two requests sharing one take turns, as
 * they do on the single connection anyway.
 */
const MAX_STATEMENTS = 200;

interface Cache {
  statements: Map<string, Promise<Statement>>;
  plans: Map<string, Plan>;
}

/**
 * How a read's rows come back: as JSON arrays once its first rows, read the driver's way, showed
 * the column names the JSON form gives (see sqlite-json-rows.ts); until then, and for good when
 * they did not or a row held a REAL or a BLOB, as the driver builds them.
 */
interface Plan {
  json: JsonRows | undefined;
  checked: boolean;
}

const caches = new WeakMap<Database, Cache>();

function finalize(pending: Promise<Statement>): Promise<void> {
  return pending.then(
    (statement) => new Promise((resolve) => statement.finalize(() => resolve())),
    () => undefined,
  );
}

/**
 * The cache of one connection. SQLite refuses to close a connection with statements still
 * prepared, so its close is made to finalize them first.
 */
function cacheOf(connection: Database): Cache {
  let cache = caches.get(connection);
  if (cache) return cache;
  const created: Cache = { statements: new Map(), plans: new Map() };
  const close = connection.close.bind(connection);
  connection.close = ((callback?: (err: Error | null) => void) => {
    const pending = [...created.statements.values()].map(finalize);
    created.statements.clear();
    void Promise.all(pending).then(() => close(callback));
    return connection;
  }) as Database['close'];
  caches.set(connection, created);
  return created;
}

/**
 * A statement that fails to prepare (a table gone) is not kept: the read reports the error and
 * the next one prepares afresh.
 */
function statementFor(cache: Cache, connection: Database, sql: string): Promise<Statement> {
  let statement = cache.statements.get(sql);
  if (statement) {
    // Most recently used last, so that eviction takes the least recently used.
    cache.statements.delete(sql);
    cache.statements.set(sql, statement);
    return statement;
  }
  const prepared = new Promise<Statement>((resolve, reject) => {
    const created: Statement = connection.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(created)));
  });
  prepared.catch(() => {
    if (cache.statements.get(sql) === prepared) cache.statements.delete(sql);
  });
  cache.statements.set(sql, prepared);
  if (cache.statements.size > MAX_STATEMENTS) {
    const [oldest, evicted] = cache.statements.entries().next().value as [string, Promise<Statement>];
    cache.statements.delete(oldest);
    // Queued behind any run still using it.
    void finalize(evicted);
  }
  return prepared;
}

/** The sqlite3 connection behind `db` when reads can reuse statements on it; undefined otherwise. */
export function reusableConnection(db: DataSource | EntityManager): Database | undefined {
  const dataSource = 'driver' in db ? db : db.connection;
  if (dataSource.driver.options.type !== 'sqlite') return undefined;
  return (dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
}

function planFor(cache: Cache, sql: string): Plan {
  let plan = cache.plans.get(sql);
  if (!plan) {
    plan = { json: jsonRows(sql), checked: false };
    cache.plans.set(sql, plan);
    if (cache.plans.size > MAX_STATEMENTS) cache.plans.delete(cache.plans.keys().next().value as string);
  }
  return plan;
}

function sameNames(names: string[], row: Row): boolean {
  const keys = Object.keys(row);
  return keys.length === names.length && keys.every((k, i) => k === names[i]);
}

function all<T>(statement: Statement, values: unknown[]): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    statement.all(values, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
  });
}

async function read(cache: Cache, connection: Database, sql: string, values: unknown[]): Promise<Row[]> {
  const plan = planFor(cache, sql);
  const json = plan.checked ? plan.json : undefined;
  if (json) {
    const rows = await all<{ json_row: string }>(await statementFor(cache, connection, json.sql), values).catch((err: Error) => {
      if (/JSON cannot hold BLOB/i.test(err.message)) return undefined;
      throw err;
    });
    const out: Row[] = [];
    for (const r of rows ?? []) {
      const row = json.toRow(r.json_row);
      if (!row) break;
      out.push(row);
    }
    if (rows && out.length === rows.length) return out;
    plan.json = undefined;
  }
  const rows = await all<Row>(await statementFor(cache, connection, sql), values);
  if (plan.json && !plan.checked && rows.length > 0) {
    if (sameNames(plan.json.names, rows[0])) plan.checked = true;
    else plan.json = undefined;
  }
  return rows;
}

/** Runs a read through a reused statement, logged and counted like TypeORM's own, failing as TypeORM would. */
export function readWithStatement<T>(db: DataSource | EntityManager, connection: Database, sql: string, values: unknown[]): Promise<T[]> {
  const dataSource = 'driver' in db ? db : db.connection;
  dataSource.logger.logQuery(sql, values);
  return read(cacheOf(connection), connection, sql, values).then(
    (rows) => rows as T[],
    (err: Error) => {
      dataSource.logger.logQueryError(err, sql, values);
      return Promise.reject(new QueryFailedError(sql, values, err));
    },
  );
}
