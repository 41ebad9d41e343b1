import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { closeDatabase, createDataSource, openDatabase } from '../../src/db/data-source';
import { query, writeTransaction } from '../../src/db/sql';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { seedReferenceContent } from '../../src/seed/reference-content';
import { seedSynthetic } from '../../src/seed/synthetic';
import { createServer, Gateway } from '../../src/app';
import { freshDatabase } from './database';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface TestGateway {
  url: string;
  db: DataSource;
  dir: string;
  request<T, V>(doc: TypedDocumentNode<T, V>, variables: V, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  raw<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** A series' value in the gateway's /metrics (undefined while the series is absent). */
  metric(series: string): Promise<number | undefined>;
  /** The gateway's own SQL statement counter, read from its /metrics endpoint. */
  sqlStatements(): Promise<number>;
  count(table: string): Promise<number>;
  /** SQL with `:name` parameters, on whichever engine the suite runs on; a statement that writes runs in a transaction of its own. */
  sql<T = Record<string, any>>(text: string, params?: Record<string, unknown>): Promise<T[]>;
  /** What points another process (a CLI, a second gateway) at the same database. */
  databaseEnv: Record<string, string>;
  stop(): Promise<void>;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-'));
}

/**
 * A real gateway on 127.0.0.1 over a fresh database (a SQLite file, or a PostgreSQL database when
 * the suite runs there) holding the reference content, and synthetic data if asked.
 */
export async function startGateway(
  options: { synthetic?: number; env?: Record<string, string>; engine?: 'sqlite' | 'postgres' } = {},
): Promise<TestGateway> {
  const dir = tempDir();
  const database = await freshDatabase(dir, 'gateway', options.engine);
  const config = loadConfig({
    ...database.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(process.env.DB_DRIVER && { DB_DRIVER: process.env.DB_DRIVER }),
    ...options.env,
  });
  const log = createLogger(config);
  const metrics = createMetrics();
  const db = await openDatabase(createDataSource(config, log, metrics));
  await seedReferenceContent(db);
  if (options.synthetic) await seedSynthetic(db, options.synthetic);
  let gateway: Gateway;
  try {
    gateway = await createServer({ config, db, log, metrics });
  } catch (err) {
    await closeDatabase(db);
    await database.drop();
    throw err;
  }
  const url = await gateway.listen(0, '127.0.0.1');

  const post = async <T>(body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };

  // Where the gateway was told to serve /metrics: its own port or a token, if the test said so.
  const metricsUrl = config.metrics.port === undefined ? `${url}/metrics` : `http://127.0.0.1:${config.metrics.port}/metrics`;
  const metricsHeaders: Record<string, string> = config.metrics.token === undefined ? {} : { authorization: `Bearer ${config.metrics.token}` };
  const metric = async (series: string) => {
    const text = await (await fetch(metricsUrl, { headers: metricsHeaders })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  return {
    url,
    db,
    dir,
    databaseEnv: database.env,
    sql: (text, params) => (/^\s*SELECT\b/i.test(text) ? query(db, text, params) : writeTransaction(db, (tx) => query(tx, text, params))),
    request: (doc, variables, headers) => post({ query: print(doc), variables }, headers),
    raw: (query, variables, headers) => post({ query, variables }, headers),
    metric,
    async sqlStatements() {
      const value = await metric('gateway_sql_statements_total');
      if (value === undefined) throw new Error('no SQL counter in /metrics');
      return value;
    },
    async count(table) {
      const [{ n }] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number(n);
    },
    async stop() {
      await gateway.stop();
      await closeDatabase(db);
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function codes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
