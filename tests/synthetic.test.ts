import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { closeDatabase, createDataSource, openDatabase } from '../src/db/data-source';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { tempDir } from './helpers/gateway';

const ROOT = path.join(__dirname, '..');

function seedWithCli(sqlitePath: string, articles: number) {
  return spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'seed.js'), '--articles', String(articles)], {
    cwd: ROOT,
    env: { ...process.env, SQLITE_PATH: sqlitePath, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
}

async function dump(sqlitePath: string) {
  const config = loadConfig({ SQLITE_PATH: sqlitePath, LOG_LEVEL: 'silent' });
  const db = await openDatabase(createDataSource(config, createLogger(config), createMetrics()));
  const tables = ['article', 'author', 'image', 'license', 'publication', 'article_author', 'article_related', 'translation_request', 'translation_request_reader'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await db.query(`SELECT * FROM ${t} ORDER BY 1, 2`);
  // The reference rows carry the real time they were loaded; the synthetic set carries none.
  out.article = (out.article as Array<Record<string, unknown>>).map((r) => (r.synthetic ? r : { ...r, created_at: null, updated_at: null }));
  await closeDatabase(db);
  return out;
}

describe('npm run seed -- --articles N', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds the same rows for the same N, all marked synthetic, with every kind of relation', async () => {
    const a = path.join(dir, 'a.sqlite');
    const b = path.join(dir, 'b.sqlite');
    expect(seedWithCli(a, 400).status).toBe(0);
    expect(seedWithCli(b, 400).status).toBe(0);
    // Seeding again replaces the synthetic set rather than adding to it.
    expect(seedWithCli(b, 400).status).toBe(0);
    const first = await dump(a);
    const second = await dump(b);
    expect(second).toEqual(first);

    const articles = first.article as Array<Record<string, any>>;
    const synthetic = articles.filter((r) => r.synthetic === 1);
    expect(synthetic).toHaveLength(400);
    expect(articles.filter((r) => r.synthetic !== 1).map((r) => r.slug)).toHaveLength(4);
    expect(synthetic.every((r) => r.slug.startsWith('synthetic-'))).toBe(true);
    expect((first.author as any[]).every((r) => r.synthetic === 1 && r.slug.startsWith('synthetic-'))).toBe(true);

    const authorsPer = new Map<number, number>();
    for (const l of first.article_author as any[]) authorsPer.set(l.article_id, (authorsPer.get(l.article_id) ?? 0) + 1);
    const counts = synthetic.map((r) => authorsPer.get(r.id) ?? 0);
    expect(new Set(counts)).toEqual(new Set([0, 1, 2, 3]));
    expect(synthetic.filter((r) => r.translation_of_id != null && r.status === 'PUBLISHED').length).toBeGreaterThan(5);
    expect(synthetic.some((r) => r.status === 'DRAFT')).toBe(true);
    expect((first.article_related as any[]).length).toBeGreaterThan(100);
    const requests = first.translation_request as any[];
    expect(requests.length).toBeGreaterThan(10);
    const readers = first.translation_request_reader as any[];
    for (const r of requests) expect(readers.filter((x) => x.request_id === r.id)).toHaveLength(r.request_count);
  });

  it('refuses a missing or silly N', () => {
    const result = seedWithCli(path.join(dir, 'c.sqlite'), 0);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--articles N');
  });
});
