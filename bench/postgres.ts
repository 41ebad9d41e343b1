import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../src/project-root';
import { generatorFingerprint } from './database';

const ROOT = projectRoot();
export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function urlOf(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The cached SQLite benchmark database moved into PostgreSQL with `npm run db:copy`, kept as a
 * template database; built once per data set, like the SQLite cache.
 */
export async function postgresTemplate(sqlitePath: string, articles: number): Promise<string> {
  const name = `bench_${articles}_${generatorFingerprint()}`;
  const [existing] = await admin('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (existing) {
    const complete = new Client({ connectionString: urlOf(name) });
    await complete.connect();
    const [{ marker }] = (await complete.query("SELECT to_regclass('db_copy_in_progress') AS marker")).rows;
    await complete.end();
    if (!marker) return name;
  }
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  process.stdout.write(`copying the benchmark database into PostgreSQL (${name}, kept for later runs)...\n`);
  const copy = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli/db-copy.js'), '--from', sqlitePath, '--to', urlOf(name)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (copy.status !== 0) throw new Error('copying the benchmark database into PostgreSQL failed');
  return name;
}

/** A fresh copy of the template (statistics included) for one measured setup, so that W5's writes never reach the template. */
export async function workingDatabase(template: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const database = `${template}_${name}`;
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  return {
    url: urlOf(database),
    drop: () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).then(() => undefined),
  };
}
