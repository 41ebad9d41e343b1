import type { Database, Statement } from 'better-sqlite3';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { Row } from './db';
import { rowFactory } from './row-factory';

/**
 * Reads on the `better-sqlite3` driver, rows built in JavaScript. better-sqlite3 builds each row
 * object natively, one property at a time, which costs more than running the statement: the home
 * list's translation-facts statement, as it was before it was trimmed (38 columns, 19 rows), took
 * 158 µs that way and 76 µs as arrays turned into objects by a function made for its columns.
 */
const MAX_STATEMENTS = 200;

interface Prepared {
  statement: Statement<unknown[], unknown[]>;
  toRow: (values: unknown[]) => Row;
}

/** null: a statement left to TypeORM (see readRows). */
const caches = new WeakMap<Database, Map<string, Prepared | null>>();

/**
 * SQLite prepares a kept statement again after a schema change, and `SELECT *` may then answer
 * other columns than its row function was made for; a statement naming its columns answers the
 * same ones or fails. So statements with a star (COUNT(*) aside) keep TypeORM's rows.
 */
function namesItsColumns(sql: string): boolean {
  return !sql.replace(/\(\s*\*\s*\)/g, '').includes('*');
}

function preparedFor(connection: Database, sql: string): Prepared | null {
  let cache = caches.get(connection);
  if (!cache) caches.set(connection, (cache = new Map()));
  const found = cache.get(sql);
  if (found !== undefined) {
    // Most recently used last, so that eviction takes the least recently used.
    cache.delete(sql);
    cache.set(sql, found);
    return found;
  }
  const statement = namesItsColumns(sql) ? connection.prepare<unknown[], unknown[]>(sql) : undefined;
  const prepared = statement?.reader ? { statement: statement.raw(true), toRow: rowFactory(statement.columns().map((c) => c.name)) } : null;
  cache.set(sql, prepared);
  if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
  return prepared;
}

/** The better-sqlite3 connection behind `db`, when that is its driver; undefined otherwise. */
export function betterSqliteConnection(db: DataSource | EntityManager): Database | undefined {
  const dataSource = 'driver' in db ? db : db.connection;
  if (dataSource.driver.options.type !== 'better-sqlite3') return undefined;
  return (dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
}

/**
 * Runs a read on a kept statement, logged and counted like TypeORM's own, failing as TypeORM
 * would. Undefined for a statement with a star or one that returns no rows after all (a
 * WITH ... INSERT): the caller runs those as TypeORM would.
 */
export function readRows<T>(db: DataSource | EntityManager, connection: Database, sql: string, values: unknown[]): T[] | undefined {
  const dataSource = 'driver' in db ? db : db.connection;
  try {
    const prepared = preparedFor(connection, sql);
    if (!prepared) return undefined;
    dataSource.logger.logQuery(sql, values);
    return prepared.statement.all(...values).map(prepared.toRow) as T[];
  } catch (err) {
    dataSource.logger.logQueryError(err as Error, sql, values);
    throw new QueryFailedError(sql, values, err as Error);
  }
}
