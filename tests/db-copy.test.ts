import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createPostgresDatabase, PostgresDatabase, postgresAvailable, queryDatabase } from './helpers/database';
import { tempDir } from './helpers/gateway';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli');
const ARTICLES = 50_000;

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 300_000 });
}

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres(`npm run db:copy from a SQLite installation of ${ARTICLES} articles (needs PostgreSQL)`, () => {
  const dir = tempDir();
  const sqlitePath = path.join(dir, 'embedded.sqlite');
  let target: PostgresDatabase;

  beforeAll(async () => {
    const seeded = run([path.join(CLI, 'seed.js'), '--articles', String(ARTICLES)], { SQLITE_PATH: sqlitePath });
    expect(seeded.status).toBe(0);
    target = await createPostgresDatabase();
  });

  afterAll(async () => {
    await target.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('survives being killed mid-copy: the second run resumes where the first stopped and every table matches', async () => {
    const copy = (): ChildProcess =>
      spawn(process.execPath, [path.join(CLI, 'db-copy.js'), '--from', sqlitePath, '--to', target.url, '--batch-size', '2000'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const first = copy();
    let firstOut = '';
    await new Promise<void>((resolve) => {
      first.stdout!.on('data', (chunk: Buffer) => {
        firstOut += chunk.toString();
        // Well into the articles, and far from their end.
        if (/copied article: 10000 of/.test(firstOut)) {
          first.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => first.on('exit', resolve));
    expect(firstOut).not.toMatch(/copied article_author/);

    const second = copy();
    let out = '';
    second.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    second.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    // It went on from what the first run committed, not from the start.
    const firstArticleLine = /copied article: (\d+) of (\d+)/.exec(out)!;
    expect(Number(firstArticleLine[1])).toBeGreaterThanOrEqual(12_000);
    expect(Number(firstArticleLine[2])).toBeGreaterThanOrEqual(ARTICLES);
    expect(out).toMatch(/^article\s+\d+\s+[0-9a-f]{16}\s+ok$/m);
    expect(out).toContain('Every table matches its source.');
    expect(out).not.toContain('MISMATCH');

    // The same numbers, read independently of the tool.
    const pg = new Client({ connectionString: target.url });
    await pg.connect();
    try {
      for (const table of ['article', 'article_author', 'article_related', 'translation_request', 'translation_request_reader', 'author', 'image']) {
        const expected = Number(
          run(['-e', `const D=require('better-sqlite3');console.log(new D(${JSON.stringify(sqlitePath)}).prepare('SELECT COUNT(*) AS n FROM ${table}').get().n)`]).stdout,
        );
        const { rows } = await pg.query(`SELECT COUNT(*)::int AS n FROM ${table}`);
        expect([table, rows[0].n]).toEqual([table, expected]);
      }
      // Sequences moved past the copied ids: a new row gets a fresh id.
      const { rows } = await pg.query(
        "INSERT INTO author (slug, name) VALUES ('after-the-copy', 'After') RETURNING id, (SELECT MAX(id) FROM author) AS previous",
      );
      expect(rows[0].id).toBeGreaterThan(rows[0].previous);
      await pg.query("DELETE FROM author WHERE slug = 'after-the-copy'");
    } finally {
      await pg.end();
    }
  });

  it('catches a changed row with --verify, and refuses to copy into a database that is not empty', async () => {
    await queryDatabase(target.url, "UPDATE article SET title = title || '!' WHERE id = (SELECT MAX(id) FROM article WHERE synthetic)");
    const verify = run([path.join(CLI, 'db-copy.js'), '--from', sqlitePath, '--to', target.url, '--verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^article\s+\d+\s+\S+\s+MISMATCH$/m);
    expect(verify.stdout).toMatch(/^author\s+\d+\s+[0-9a-f]{16}\s+ok$/m);

    const again = run([path.join(CLI, 'db-copy.js'), '--from', sqlitePath, '--to', target.url]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds data/);
  });
});
