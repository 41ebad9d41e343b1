import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createDataSource, openDatabase } from '../src/data-source';
import { execute, query, writeTransaction } from '../src/db';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { bindSqlite } from '../src/sqlite-parameters';
import { tempDir } from './helpers/gateway';

// Statements are bound from pieces found once per text instead of by TypeORM's regular expression
// on every call: the text and values must come out exactly as TypeORM's SQLite drivers make them.
describe.each(['sqlite3', 'better-sqlite3'] as const)('parameters on the %s driver', (driver) => {
  const dir = tempDir();
  let db: DataSource;
  const typeorm = (sql: string, params: Record<string, unknown>) => db.driver.escapeQueryWithParameters(sql, params, {});

  beforeAll(async () => {
    const config = loadConfig({ SQLITE_PATH: path.join(dir, 'parameters.sqlite'), DB_DRIVER: driver, LOG_LEVEL: 'silent' });
    db = await openDatabase(createDataSource(config, createLogger(config), createMetrics()));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('binds as TypeORM does: numbers in the text, lists one ? per item, unknown names left as written', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['SELECT 1', {}],
      ['SELECT * FROM article a WHERE a.id IN (:...ids) AND a.status = :status', { ids: [3, 1, 2], status: 'PUBLISHED' }],
      ['SELECT :n AS n, :s AS s, :b AS b, :z AS z, :u AS u', { n: 42.5, s: "it's", b: true, z: null, u: undefined }],
      ['SELECT :a, :a, :missing, :x.y', { a: 7, 'x.y': 'dotted' }],
      ["SELECT '10:30:00' AS t, :at AS at", { at: 'noon' }],
      ['SELECT :...empty', { empty: [] }],
      ['SELECT :...flags', { flags: [true, false, 'x', 2] }],
      ['SELECT :...whens', { whens: [new Date(1)] }],
    ];
    for (const [sql, params] of cases) expect([sql, bindSqlite(sql, params)]).toEqual([sql, typeorm(sql, params)]);
    // A Date or a function is left to TypeORM, which converts them in ways of its own.
    expect(bindSqlite('SELECT :when', { when: new Date(0) })).toBeUndefined();
    expect(bindSqlite('SELECT :fn', { fn: () => 'NULL' })).toBeUndefined();
    expect(bindSqlite('SELECT :...ids', { ids: 'not a list' })).toBeUndefined();
  });

  it('agrees with TypeORM on generated statements and values, bound again from the kept pieces', () => {
    const name = fc.constantFrom('id', 'ids', 'slug', 'a.b', 'n1', 'missing');
    const piece = fc.oneof(
      fc.constantFrom('SELECT ', ' FROM t WHERE x = ', ', ', " ':' ", ' IN (', ')', '::', ' :', '12:00', ' '),
      name.map((n) => `:${n}`),
      name.map((n) => `:...${n}`),
    );
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.integer(), fc.string(), fc.boolean())));
    // Plain objects, as callers pass: TypeORM calls their own hasOwnProperty.
    const params = fc.dictionary(fc.constantFrom('id', 'ids', 'slug', 'a.b', 'n1'), value).map((d) => ({ ...d }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), params, (pieces, values) => {
        const sql = pieces.join('');
        let expected: unknown;
        try {
          expected = typeorm(sql, values);
        } catch {
          // TypeORM fails on a list parameter given a non-list; bindSqlite hands such calls back to it.
          expect(bindSqlite(sql, values)).toBeUndefined();
          return;
        }
        expect(bindSqlite(sql, values) ?? typeorm(sql, values)).toEqual(expected);
        expect(bindSqlite(sql, values) ?? typeorm(sql, values)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('runs bound statements with the rows they ask for', async () => {
    const rows = await query<{ n: number; s: string; l: number }>(db, 'SELECT :n AS n, :s AS s, (SELECT COUNT(*) FROM (SELECT 1 UNION SELECT 2) WHERE 1 IN (:...l)) AS l', {
      n: 5,
      s: 'five',
      l: [1, 2],
    });
    expect(rows).toEqual([{ n: 5, s: 'five', l: 2 }]);
  });
});

// Inside a write transaction on better-sqlite3 numbers are bound as values instead (see db.ts):
// each statement then keeps one text, whatever ids it is given, and is prepared once.
describe('numbers inside write transactions on better-sqlite3', () => {
  const dir = tempDir();
  let db: DataSource;

  beforeAll(async () => {
    const config = loadConfig({ SQLITE_PATH: path.join(dir, 'writes.sqlite'), DB_DRIVER: 'better-sqlite3', LOG_LEVEL: 'silent' });
    db = await openDatabase(createDataSource(config, createLogger(config), createMetrics()));
    await db.query('CREATE TABLE numbered (id INTEGER PRIMARY KEY, n INTEGER, label TEXT, ratio REAL)');
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('binds an integer as an INTEGER value and any other number as itself, with one text for all', () => {
    const sql = 'SELECT :id AS id, :ratio AS ratio, :...ids AS ids';
    const [text, values] = bindSqlite(sql, { id: 5, ratio: 2.5, ids: [1, 2] }, true)!;
    expect(text).toBe('SELECT ? AS id, ? AS ratio, ?, ? AS ids');
    expect(values).toEqual([5n, 2.5, 1, 2]);
    expect(bindSqlite(sql, { id: 6, ratio: 0.5, ids: [3, 4] }, true)![0]).toBe(text);
  });

  it('stores and finds rows as the numbers written into the text would, preparing each statement once', async () => {
    const connection = (db.driver as unknown as { databaseConnection: { prepare: (sql: string) => unknown } }).databaseConnection;
    const prepare = connection.prepare.bind(connection);
    let prepared = 0;
    connection.prepare = (sql: string) => {
      prepared += 1;
      return prepare(sql);
    };
    const write = (id: number) =>
      writeTransaction(db, async (tx) => {
        await execute(tx, 'INSERT INTO numbered (id, n, label, ratio) VALUES (:id, :n, :label, :ratio)', { id, n: id * 10, label: id, ratio: id / 4 });
        await execute(tx, 'UPDATE numbered SET n = n + :step WHERE id = :id', { id, step: 1 });
        return query(tx, 'SELECT n, typeof(n) AS nType, label, typeof(label) AS labelType, ratio FROM numbered WHERE id = :id', { id });
      });
    expect(await write(1)).toEqual([{ n: 11, nType: 'integer', label: '1', labelType: 'text', ratio: 0.25 }]);
    const afterFirst = prepared;
    for (let id = 2; id <= 20; id++) expect(await write(id)).toEqual([{ n: id * 10 + 1, nType: 'integer', label: String(id), labelType: 'text', ratio: id / 4 }]);
    expect(prepared).toBe(afterFirst);
    connection.prepare = prepare;
  });
});
