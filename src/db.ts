import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';
import { isDatabaseBusy, userInputError } from './errors';
import { ReadGate } from './read-gate';
import { betterSqliteConnection, readRows } from './better-sqlite3-statements';
import { bindSqlite } from './sqlite-parameters';
import { readWithStatement, reusableConnection } from './sqlite3-statements';

export type Row = Record<string, unknown>;

/** Runs SQL with `:name` and `:...list` parameters, turned into the driver's own placeholders. */
export async function query<T = Row>(
  db: DataSource | EntityManager,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const [text, values] = bind(db, sql, params);
  const gate = readGateOf(db);
  if (!gate) return run<T>(db, text, values);
  const turn = gate.enter();
  if (turn) await turn;
  try {
    return await run<T>(db, text, values);
  } finally {
    gate.leave();
  }
}

async function run<T>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<T[]> {
  if (READ.test(text)) {
    const sqlite3 = reusableConnection(db);
    if (sqlite3) return readWithStatement<T>(db, sqlite3, text, values);
    const better = betterSqliteConnection(db);
    const rows = better && readRows<T>(db, better, text, values);
    if (rows) return rows;
  }
  return (await db.query(text, values)) as T[];
}

/** Statements that only read, whose prepared form is worth keeping. */
const READ = /^\s*(SELECT|WITH)\b/i;

/** Runs an INSERT, UPDATE or DELETE inside a transaction and returns how many rows it changed. */
export async function execute(tx: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<number> {
  if (!tx.queryRunner) throw new Error('execute() needs the EntityManager of a transaction');
  const [text, values] = bind(tx, sql, params);
  const result = await tx.queryRunner.query(text, values, true);
  return result.affected ?? 0;
}

/** Runs an INSERT of one row inside a transaction and returns the new row's id. */
export async function insertOne(tx: EntityManager, sql: string, params: Record<string, unknown>): Promise<number> {
  if (!tx.queryRunner) throw new Error('insertOne() needs the EntityManager of a transaction');
  if (driverOf(tx).options.type === 'postgres') {
    const [row] = await query<{ id: number }>(tx, `${sql} RETURNING id`, params);
    return Number(row.id);
  }
  // Not RETURNING: the sqlite3 driver answers every "INSERT INTO" with the new row id and drops
  // any rows the statement returned; both SQLite drivers report that id as the raw result.
  const [text, values] = bind(tx, sql, params);
  const result = await tx.queryRunner.query(text, values, true);
  return Number(result.raw);
}

function driverOf(db: DataSource | EntityManager) {
  return 'driver' in db ? db.driver : db.connection.driver;
}

/** better-sqlite3 refuses JavaScript booleans; SQLite stores them as 0 and 1 anyway. */
function sqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? Number(value) : value;
}

/**
 * PostgreSQL text cannot hold U+0000 and refuses any statement that passes one; SQLite would store
 * it. Refused on both engines alike, before any SQL runs, as input the client can fix.
 */
function assertNoNul(values: unknown[]): void {
  for (const value of values) {
    if (typeof value === 'string' && value.includes('\0')) throw userInputError('Text must not contain the NUL character (U+0000).');
    if (Array.isArray(value)) assertNoNul(value);
  }
}

/**
 * Inside a write transaction on better-sqlite3. Numbers are written into the text elsewhere, as
 * TypeORM does (a read's plan may depend on them), so a write's statements had a text per id:
 * requestTranslation prepared about five statements per call, 12,012 texts for 2,000 articles,
 * and each held native memory until V8 collected its object (peak RSS under the write mixes
 * 300 MB at a million articles): TypeORM's driver keeps the last 100 statements it prepared, and
 * our reads' cache 200. Bound as values there, a transaction's statements keep one text each and
 * are prepared once. The sqlite3 driver finalizes every statement it runs in a transaction at once,
 * so it keeps the literals.
 */
function numbersAsValues(db: DataSource | EntityManager): boolean {
  return !('driver' in db) && db.queryRunner !== undefined && db.connection.driver.options.type === 'better-sqlite3';
}

function bind(db: DataSource | EntityManager, sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const driver = driverOf(db);
  const onPostgres = driver.options.type === 'postgres';
  const [text, values] = (!onPostgres && bindSqlite(sql, params, numbersAsValues(db))) || driver.escapeQueryWithParameters(sql, params, {});
  assertNoNul(values);
  return [text, onPostgres ? values : values.map(sqliteValue)];
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

/** The busy_timeout the data source sets: how long a write waits for another process's lock. */
export const BUSY_TIMEOUT_MS = 5000;

const writeLocks = new WeakMap<DataSource, Mutex>();
const readGates = new WeakMap<DataSource, ReadGate>();

function writeLockOf(db: DataSource): Mutex {
  let lock = writeLocks.get(db);
  if (!lock) {
    lock = new Mutex();
    writeLocks.set(db, lock);
  }
  return lock;
}

function gateOf(db: DataSource): ReadGate {
  let gate = readGates.get(db);
  if (!gate) {
    gate = new ReadGate(BUSY_TIMEOUT_MS);
    readGates.set(db, gate);
  }
  return gate;
}

/** The gate a statement passes on SQLite, unless it belongs to a transaction (whose EntityManager has a query runner). */
function readGateOf(db: DataSource | EntityManager): ReadGate | undefined {
  if ('driver' in db) return db.driver.options.type === 'postgres' ? undefined : gateOf(db);
  return db.queryRunner || db.connection.driver.options.type === 'postgres' ? undefined : gateOf(db.connection);
}

/**
 * TypeORM's SQLite drivers share one connection, so two interleaved transactions would nest inside
 * each other: every write transaction goes through this lock and runs alone, with no plain read
 * beside it (see read-gate.ts). It begins IMMEDIATE, taking SQLite's write lock at once: another
 * process (a second gateway on the same file, a CLI) may hold it, and BEGIN IMMEDIATE is retried
 * for as long as busy_timeout would have waited (on better-sqlite3, whose waits would block the
 * event loop, this retry is the only wait).
 */
export async function writeTransaction<T>(
  db: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  if (db.driver.options.type === 'postgres') {
    return options.decidedByAtomicStatements ? db.transaction('READ COMMITTED', work) : serializable(db, work);
  }
  return writeLockOf(db).runExclusive(() => gateOf(db).write(async () => {
    const runner = db.createQueryRunner();
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await runner.query('BEGIN IMMEDIATE');
        break;
      } catch (err) {
        if (!isDatabaseBusy(err) || Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 * attempt)));
      }
    }
    try {
      const result = await work(runner.manager);
      await runner.query('COMMIT');
      return result;
    } catch (err) {
      await runner.query('ROLLBACK');
      throw err;
    }
  }));
}

export interface WriteOptions {
  /**
   * Every decision the transaction makes is taken by one atomic statement (a unique key with ON
   * CONFLICT, `n = n + 1`), never by reading first: PostgreSQL may then run it READ COMMITTED,
   * which waits on a busy row instead of failing and retrying. Hot rows (one article's translation
   * requests from many readers at once) need this.
   */
  decidedByAtomicStatements?: boolean;
}

/** How often a PostgreSQL write transaction that lost a conflict is run again before the error shows. */
const SERIALIZATION_RETRIES = 12;

/**
 * The services check, then write ("is this request still REQUESTED?", "is it published already?"),
 * which SQLite makes safe by running one writer at a time. PostgreSQL runs writers side by side, so
 * its write transactions are SERIALIZABLE: one that would see a result no serial order could give
 * fails with 40001 (or 40P01 on a deadlock) and is run again from the start, as SQLite would have
 * run it after the other. Only database work happens inside `work`; notifications follow commit.
 */
async function serializable<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction('SERIALIZABLE', work);
    } catch (err) {
      const code = (err as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (err as { code?: unknown }).code;
      if ((code !== '40001' && code !== '40P01') || attempt >= SERIALIZATION_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }
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

/**
 * After rows were inserted with explicit ids: PostgreSQL's id sequences do not see those and would
 * hand out taken ids next, so each moves past the largest id. SQLite needs nothing.
 */
export async function advanceIdSequences(db: DataSource | EntityManager, tables: string[]): Promise<void> {
  if (driverOf(db).options.type !== 'postgres') return;
  for (const table of tables) {
    await db.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`,
    );
  }
}
