import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/project-root';

const ROOT = projectRoot();

/** Anything that changes the rows or the schema the generator makes invalidates the cached database. */
export function generatorFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of ['src/seed/synthetic.ts', 'src/seed/reference-content.ts', 'content/seed-content.json']) {
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  }
  for (const file of fs.readdirSync(path.join(ROOT, 'src/db/migrations')).sort()) {
    hash.update(fs.readFileSync(path.join(ROOT, 'src/db/migrations', file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** A synthetic database of `articles` articles made by `npm run seed`, built once and cached under bench/cache/. */
export function cachedDatabase(articles: number): string {
  const dir = path.join(ROOT, 'bench', 'cache');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `articles-${articles}-${generatorFingerprint()}.sqlite`);
  if (fs.existsSync(file)) return file;
  const building = `${file}.building`;
  fs.rmSync(building, { force: true });
  process.stdout.write(`building a synthetic database of ${articles} articles (cached for later runs)...\n`);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli/seed.js'), '--articles', String(articles)], {
    env: { ...process.env, SQLITE_PATH: building, LOG_LEVEL: 'warn', DB_DRIVER: 'better-sqlite3' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('seeding the benchmark database failed');
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${building}${suffix}`, { force: true });
  fs.renameSync(building, file);
  return file;
}

/** Each measured server gets its own copy, so that the writes of W5 never reach the cache. */
export function workingCopy(source: string, name: string): string {
  const dir = path.join(ROOT, 'bench', 'cache', 'work');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.copyFileSync(source, file);
  return file;
}
