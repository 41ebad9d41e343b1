import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';

export type Row = Record<string, unknown>;

/** Runs SQL with `:name` and `:...list` parameters, turned into the driver's own placeholders. */
export async function query<T = Row>(
  db: DataSource | EntityManager,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  return (await db.query(...bind(db, sql, params))) as T[];
}

/** Runs an INSERT, UPDATE or DELETE inside a transaction and returns how many rows it changed. */
export async function execute(tx: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<number> {
  if (!tx.queryRunner) throw new Error('execute() needs the EntityManager of a transaction');
  const [text, values] = bind(tx, sql, params);
  const result = await tx.queryRunner.query(text, values, true);
  return result.affected ?? 0;
}

function driverOf(db: DataSource | EntityManager) {
  return 'driver' in db ? db.driver : db.connection.driver;
}

/** better-sqlite3 refuses JavaScript booleans; SQLite stores them as 0 and 1 anyway. */
function sqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? Number(value) : value;
}

function bind(db: DataSource | EntityManager, sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const driver = driverOf(db);
  const [text, values] = driver.escapeQueryWithParameters(sql, params, {});
  return [text, driver.options.type === 'postgres' ? values : values.map(sqliteValue)];
}

/** SQLite stores TypeORM Date columns as UTC 'YYYY-MM-DD HH:MM:SS.SSS' text; parameters must match that form. */
export function toSqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function fromSqlTime(value: unknown): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}

export function fromSqlBool(value: unknown): boolean | null {
  return value == null ? null : Boolean(Number(value));
}

const writeLocks = new WeakMap<DataSource, Mutex>();

/**
 * TypeORM's SQLite drivers share one connection, so two interleaved transactions would nest inside
 * each other. Every write transaction goes through this lock and runs alone.
 */
export async function writeTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  let lock = writeLocks.get(db);
  if (!lock) {
    lock = new Mutex();
    writeLocks.set(db, lock);
  }
  return lock.runExclusive(() => db.transaction(work));
}

/** Multi-row INSERT in chunks that stay under every driver's bound-parameter limit. */
export async function insertRows(
  db: DataSource | EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const numbered = driverOf(db).options.type === 'postgres';
  const perStatement = Math.max(1, Math.floor(30000 / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    let n = 0;
    const values = chunk
      .map((row) => `(${row.map(() => (numbered ? `$${++n}` : '?')).join(', ')})`)
      .join(', ');
    const flat = chunk.flat();
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, numbered ? flat : flat.map(sqliteValue));
  }
}
