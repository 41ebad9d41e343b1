import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Which engine the suite runs on: `TEST_DATABASE=postgres` runs every gateway of every test on a
 * database of its own in the PostgreSQL at TEST_POSTGRES_URL; anything else, on SQLite files.
 */
export const onPostgres = process.env.TEST_DATABASE === 'postgres';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Tests about the SQLite file itself (pragmas, WAL, backups, file locks) have no PostgreSQL run. */
export const describeOnSqlite = onPostgres ? describe.skip : describe;

/**
 * Whether the PostgreSQL at TEST_POSTGRES_URL answers. Tests that need it say so in their names;
 * under CI they must run (a missing server fails them), elsewhere they are skipped.
 */
export function postgresAvailable(): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', `const c = new (require('pg').Client)({ connectionString: ${JSON.stringify(ADMIN_URL)}, connectionTimeoutMillis: 2000 });
            c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`],
    { timeout: 5000, cwd: path.join(__dirname, '..', '..') },
  );
  if (probe.status === 0) return true;
  if (process.env.CI === 'true' || onPostgres) throw new Error(`the tests need the PostgreSQL at ${ADMIN_URL} and none answered`);
  return false;
}

/** One statement on a PostgreSQL database, over a connection of its own; returns its rows. */
export async function queryDatabase<T = Record<string, any>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** One statement on the server's maintenance database (CREATE/DROP/ALTER DATABASE and the like). */
export async function admin(sql: string): Promise<void> {
  await queryDatabase(ADMIN_URL, sql);
}

export interface PostgresDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database, whatever engine the rest of the suite runs on. */
export async function createPostgresDatabase(): Promise<PostgresDatabase> {
  const name = `gw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface TestDatabase {
  /** The settings that point a gateway (in this process or a child) at it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one gateway: a file in `dir` on SQLite, a new database on PostgreSQL;
 * on the engine the suite runs on unless `engine` says which.
 */
export async function freshDatabase(dir: string, name = 'gateway', engine: 'sqlite' | 'postgres' = onPostgres ? 'postgres' : 'sqlite'): Promise<TestDatabase> {
  if (engine === 'sqlite') return { env: { SQLITE_PATH: path.join(dir, `${name}.sqlite`) }, drop: async () => undefined };
  const database = await createPostgresDatabase();
  return { env: { DATABASE_URL: database.url }, drop: database.drop };
}
