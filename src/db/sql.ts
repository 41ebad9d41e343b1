import { Mutex } from 'async-mutex';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { userInputError } from '../graphql/errors';
import { isDatabaseBusy } from './failures';

export type Row = Record<string, unknown>;

/** A data source, or the EntityManager of a transaction: where a statement runs. */
export type Db = DataSource | EntityManager;

function dataSourceOf(db: Db): DataSource {
  return 'driver' in db ? db : db.connection;
}

function onPostgres(db: Db): boolean {
  return dataSourceOf(db).options.type === 'postgres';
}

/**
 * On SQLite a data source has one connection, shared by every request: a plain read made while a
 * write transaction is open would run inside it and see rows a rollback then takes back. So each
 * SQLite data source gets a second connection for plain reads (see openDatabase); under WAL it sees
 * only committed rows, and never waits for a writer.
 */
const readConnections = new WeakMap<DataSource, DataSource>();

export function useReadConnection(db: DataSource, reads: DataSource): void {
  readConnections.set(db, reads);
}

export function readConnectionOf(db: DataSource): DataSource | undefined {
  return readConnections.get(db);
}

/**
 * What moves with every commit that wrote anything, by any connection or process: on SQLite the
 * file's `data_version` seen from the read connection (this gateway's writes go through the other
 * one); on PostgreSQL the primary's transaction snapshot, in which a writing transaction appears
 * when it takes its id and leaves when it ends (read-only ones take none).
 */
export async function contentSnapshot(db: DataSource): Promise<string> {
  if (onPostgres(db)) {
    const [row] = await query<{ snapshot: string }>(db, 'SELECT txid_current_snapshot()::text AS snapshot');
    return row.snapshot;
  }
  const [row] = await query<{ data_version: number }>(db, 'PRAGMA data_version');
  return String(row.data_version);
}

/**
 * Runs SQL with `:name` and `:...list` parameters. Outside a transaction, on SQLite, it runs on the
 * read connection.
 */
export async function query<T = Row>(db: Db, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [text, values] = bind(db, sql, params);
  const target = ('driver' in db && readConnections.get(db)) || db;
  const source = dataSourceOf(target);
  if (source.options.type === 'better-sqlite3') {
    const rows = readRows(source, text, values);
    if (rows) return rows as T[];
  }
  return (await target.query(text, values)) as T[];
}

/**
 * better-sqlite3 builds each row object natively, one property at a time, which on a wide row costs
 * more than running the statement. So its reads take rows as arrays (`raw`), and a class made once
 * per statement turns each into a plain object: its instances share one shape, with the columns
 * stored in the object itself. The statements are kept here (TypeORM keeps its own, in object
 * mode, for its own queries).
 */
interface KeptStatement {
  statement: Statement<unknown[], unknown[]>;
  Row: new (values: unknown[]) => Row;
  width: number;
}

const MAX_KEPT_STATEMENTS = 200;
const keptStatements = new WeakMap<Database, Map<string, KeptStatement | null>>();

function rowClass(columns: string[]): new (values: unknown[]) => Row {
  return class {
    constructor(values: unknown[]) {
      for (let i = 0; i < columns.length; i++) (this as Row)[columns[i]] = values[i];
    }
  } as new (values: unknown[]) => Row;
}

function keptStatement(connection: Database, sql: string): KeptStatement | null {
  let kept = keptStatements.get(connection);
  if (!kept) keptStatements.set(connection, (kept = new Map()));
  const found = kept.get(sql);
  if (found !== undefined) {
    // Most recently used last, so that the oldest entry is the least recently used one.
    kept.delete(sql);
    kept.set(sql, found);
    return found;
  }
  const statement = connection.prepare<unknown[], unknown[]>(sql);
  const columns = statement.reader ? statement.columns().map((c) => c.name) : null;
  const entry = columns ? { statement: statement.raw(true), Row: rowClass(columns), width: columns.length } : null;
  kept.set(sql, entry);
  if (kept.size > MAX_KEPT_STATEMENTS) kept.delete(kept.keys().next().value as string);
  return entry;
}

/** A read on better-sqlite3, counted and failing as TypeORM's own; undefined for a statement that returns no rows. */
function readRows(source: DataSource, sql: string, values: unknown[]): Row[] | undefined {
  const connection = (source.driver as unknown as { databaseConnection: Database }).databaseConnection;
  try {
    let kept = keptStatement(connection, sql);
    if (!kept) return undefined;
    source.logger.logQuery(sql, values);
    let rows = kept.statement.all(...values);
    // A schema change makes SQLite prepare the statement again, and `SELECT *` may then answer other columns.
    if (rows.length > 0 && rows[0].length !== kept.width) {
      keptStatements.get(connection)?.delete(sql);
      kept = keptStatement(connection, sql) as KeptStatement;
      rows = kept.statement.all(...values);
    }
    const { Row } = kept;
    return rows.map((row) => new Row(row));
  } catch (err) {
    source.logger.logQueryError(err as Error, sql, values);
    throw new QueryFailedError(sql, values, err as Error);
  }
}

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
  if (onPostgres(tx)) {
    const [row] = await query<{ id: number }>(tx, `${sql} RETURNING id`, params);
    return Number(row.id);
  }
  // Not RETURNING: the sqlite3 driver answers every "INSERT INTO" with the new row id and drops
  // any rows the statement returned; both SQLite drivers report that id as the raw result.
  const [text, values] = bind(tx, sql, params);
  const result = await tx.queryRunner.query(text, values, true);
  return Number(result.raw);
}

// Not the second colon of a PostgreSQL cast (`'x'::text`). SQL text must not hold `:name` inside a string literal.
const PARAMETER = /(?<!:):(\.\.\.)?([A-Za-z0-9_]+)/g;

/** A statement's text split at its parameters, once per text: binding then only gathers values. */
interface Template {
  parameters: Array<{ token: string; name: string; list: boolean }>;
  /** The text between parameters: one more than there are parameters. */
  between: string[];
  /** Bound texts by dialect and the shape of the values (which names have one, how long each list is). */
  texts: Map<string, string>;
}

const MAX_TEMPLATES = 1000;
const templates = new Map<string, Template>();

function templateOf(sql: string): Template {
  let template = templates.get(sql);
  if (template) return template;
  template = { parameters: [], between: [], texts: new Map() };
  let last = 0;
  for (const match of sql.matchAll(PARAMETER)) {
    template.between.push(sql.slice(last, match.index));
    template.parameters.push({ token: match[0], name: match[2], list: match[1] !== undefined });
    last = (match.index as number) + match[0].length;
  }
  template.between.push(sql.slice(last));
  if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value as string);
  templates.set(sql, template);
  return template;
}

/**
 * `:name` becomes `$n` on PostgreSQL and `?` on SQLite, `:...list` one placeholder per item.
 * Numbers are bound as values, so a statement keeps one text whatever ids it is given (and
 * better-sqlite3 reuses its prepared statement). A name with no value stays as written.
 */
function bind(db: Db, sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const type = dataSourceOf(db).options.type;
  const postgres = type === 'postgres';
  const bigIntIntegers = type === 'better-sqlite3';
  const template = templateOf(sql);
  const values: unknown[] = [];
  let shape = postgres ? '$,' : '?,';
  for (const { name, list } of template.parameters) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) {
      shape += '-,';
      continue;
    }
    const value = params[name];
    if (!list) {
      values.push(postgres ? value : sqliteValue(value, bigIntIntegers));
      shape += '1,';
      continue;
    }
    // `IN ()` is an error on PostgreSQL and always false on SQLite: callers skip the statement instead.
    if (!Array.isArray(value) || value.length === 0) throw new Error(`the list parameter ${name} needs a non-empty array`);
    for (const item of value) values.push(postgres ? item : sqliteValue(item, bigIntIntegers));
    shape += `${value.length},`;
  }
  assertNoNul(values);
  let text = template.texts.get(shape);
  if (text === undefined) {
    text = boundText(template, shape, postgres);
    if (template.texts.size >= MAX_TEMPLATES) template.texts.clear();
    template.texts.set(shape, text);
  }
  return [text, values];
}

function boundText(template: Template, shape: string, postgres: boolean): string {
  const counts = shape.split(',').slice(1);
  let n = 0;
  const placeholder = () => (postgres ? `$${++n}` : '?');
  let text = template.between[0];
  template.parameters.forEach((parameter, i) => {
    const count = counts[i];
    if (count === '-') text += parameter.token;
    else if (!parameter.list) text += placeholder();
    else text += Array.from({ length: Number(count) }, placeholder).join(', ');
    text += template.between[i + 1];
  });
  return text;
}

/**
 * SQLite has no booleans or dates: they are stored as 0/1 and as TypeORM's UTC text. better-sqlite3
 * binds a JavaScript number as REAL and a BigInt as INTEGER, which is what an integer column holds
 * (sqlite3 binds integers as INTEGER by itself, and has no BigInt).
 */
function sqliteValue(value: unknown, bigIntIntegers: boolean): unknown {
  if (typeof value === 'boolean') return Number(value);
  if (bigIntIntegers && typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (value instanceof Date) return toSqlTime(value);
  return value;
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

function writeLockOf(db: DataSource): Mutex {
  let lock = writeLocks.get(db);
  if (!lock) {
    lock = new Mutex();
    writeLocks.set(db, lock);
  }
  return lock;
}

/**
 * TypeORM's SQLite drivers share one connection, so two interleaved transactions would nest inside
 * each other: every write transaction goes through this lock and runs alone. It begins IMMEDIATE,
 * taking SQLite's write lock at once: another process (a second gateway on the same file, a CLI)
 * may hold it, and BEGIN IMMEDIATE is retried for as long as busy_timeout would have waited (on
 * better-sqlite3, whose waits would block the event loop, this retry is the only wait).
 */
export async function writeTransaction<T>(
  db: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  if (onPostgres(db)) {
    return options.decidedByAtomicStatements ? db.transaction('READ COMMITTED', work) : serializable(db, work);
  }
  return writeLockOf(db).runExclusive(async () => {
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
      // SQLite rolls a transaction back by itself on some failures (a full disk, an I/O error); the
      // ROLLBACK then fails with "no transaction is active", which must not hide the cause.
      try {
        await runner.query('ROLLBACK');
      } catch (rollbackError) {
        if (!/no transaction is active/i.test(String(rollbackError))) {
          throw new Error(`ROLLBACK failed after the transaction failed with: ${String(err)}`, { cause: rollbackError });
        }
      }
      throw err;
    }
  });
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
export async function insertRows(db: Db, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const numbered = onPostgres(db);
  const perStatement = Math.max(1, Math.floor(30000 / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    let n = 0;
    const values = chunk.map((row) => `(${row.map(() => (numbered ? `$${++n}` : '?')).join(', ')})`).join(', ');
    const flat = chunk.flat();
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, numbered ? flat : flat.map((v) => sqliteValue(v, false)));
  }
}

/**
 * After rows were inserted with explicit ids: PostgreSQL's id sequences do not see those and would
 * hand out taken ids next, so each moves past the largest id. SQLite needs nothing.
 */
export async function advanceIdSequences(db: Db, tables: string[]): Promise<void> {
  if (!onPostgres(db)) return;
  for (const table of tables) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`);
  }
}
