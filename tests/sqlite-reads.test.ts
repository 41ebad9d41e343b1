import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createDataSource, openDatabase } from '../src/data-source';
import { query } from '../src/db';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { jsonRows } from '../src/sqlite-json-rows';
import { tempDir } from './helpers/gateway';

// Both SQLite drivers read through kept statements and build rows in JavaScript (JSON arrays on
// sqlite3, value arrays on better-sqlite3): rows must come out exactly as the drivers' own, on
// every run of a statement, whatever the values hold.
describe.each(['sqlite3', 'better-sqlite3'] as const)('reads on the %s driver', (driver) => {
  const dir = tempDir();
  let db: DataSource;
  let statements: () => Promise<number>;

  beforeAll(async () => {
    const config = loadConfig({ SQLITE_PATH: path.join(dir, 'reads.sqlite'), DB_DRIVER: driver, LOG_LEVEL: 'silent' });
    const metrics = createMetrics();
    db = await openDatabase(createDataSource(config, createLogger(config), metrics));
    statements = async () => (await metrics.sqlStatements.get()).values.reduce((sum, v) => sum + v.value, 0);
    await db.query('CREATE TABLE sample (id INTEGER PRIMARY KEY, label TEXT, amount, data BLOB, note TEXT)');
    await db.query(
      `INSERT INTO sample (id, label, amount, data, note) VALUES
         (1, 'plain', 7, NULL, NULL),
         (2, 'quote " and \\ and ''', 9007199254740991, NULL, 'ünïcødé ✓ 日本語'),
         (3, '', -1, NULL, '[1,2]')`,
    );
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const named = 'SELECT s.id AS id, s.label AS name, s.amount, s.note FROM sample s WHERE s.id IN (:...ids) ORDER BY s.id DESC';

  it('answers named columns exactly as the driver does, run after run, one counted statement each', async () => {
    const expected = await db.query('SELECT s.id AS id, s.label AS name, s.amount, s.note FROM sample s WHERE s.id IN (?, ?, ?) ORDER BY s.id DESC', [1, 2, 3]);
    expect(expected).toHaveLength(3);
    const before = await statements();
    for (let run = 0; run < 4; run++) expect(await query(db, named, { ids: [1, 2, 3] })).toEqual(expected);
    expect(await statements()).toBe(before + 4);
    expect(await query(db, named, { ids: [404] })).toEqual([]);
    expect(await query(db, named, { ids: [3] })).toEqual([expected[0]]);
  });

  it('keeps fractional numbers and binary values exact, including where they appear only in later runs', async () => {
    const amounts = 'SELECT s.id AS id, s.amount AS amount FROM sample s WHERE s.id = :id';
    const data = 'SELECT s.id AS id, s.data AS data FROM sample s WHERE s.id = :id';
    for (let run = 0; run < 2; run++) {
      expect(await query(db, amounts, { id: 1 })).toEqual([{ id: 1, amount: 7 }]);
      expect(await query(db, data, { id: 1 })).toEqual([{ id: 1, data: null }]);
    }
    await db.query("UPDATE sample SET amount = 0.1 + 0.2, data = x'00ff' WHERE id = 1");
    for (let run = 0; run < 2; run++) {
      expect(await query(db, amounts, { id: 1 })).toEqual([{ id: 1, amount: 0.1 + 0.2 }]);
      const [row] = await query<{ data: Uint8Array }>(db, data, { id: 1 });
      expect(Buffer.from(row.data)).toEqual(Buffer.from([0x00, 0xff]));
    }
  });

  it('reports a statement that cannot run as a query failure, and runs it once it can', async () => {
    const sql = 'SELECT later.id AS id FROM later WHERE later.id > :min';
    await expect(query(db, sql, { min: 0 })).rejects.toThrow(/no such table: later/);
    await db.query('CREATE TABLE later (id INTEGER PRIMARY KEY)');
    await db.query('INSERT INTO later (id) VALUES (5)');
    expect(await query(db, sql, { min: 0 })).toEqual([{ id: 5 }]);
  });
});

describe('the JSON form of a sqlite3 read', () => {
  it('is made for column references with or without an alias, and nothing else', () => {
    expect(jsonRows("SELECT a.id AS id, au.slug, kind FROM article a WHERE a.title <> 'x, FROM y'")).toMatchObject({
      sql:
        "SELECT json_array(a.id, au.slug, kind, typeof(a.id) = 'real' OR typeof(au.slug) = 'real' OR typeof(kind) = 'real') AS json_row " +
        "FROM article a WHERE a.title <> 'x, FROM y'",
      names: ['id', 'slug', 'kind'],
    });
    for (const sql of [
      'SELECT * FROM license',
      'SELECT l.* FROM license l',
      'SELECT COUNT(*) AS n FROM article',
      'SELECT id + 1 AS next FROM article',
      "SELECT 'a, b' AS text FROM article",
      'SELECT DISTINCT language FROM article',
      'SELECT id FROM article UNION SELECT id FROM author',
      'WITH x AS (SELECT 1 AS id) SELECT id FROM x',
      'INSERT INTO license (key) VALUES (1) RETURNING id',
    ]) {
      expect(jsonRows(sql)).toBeUndefined();
    }
  });
});
