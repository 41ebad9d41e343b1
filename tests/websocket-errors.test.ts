import Database from 'better-sqlite3';
import { createClient } from 'graphql-ws';
import fs from 'node:fs';
import WebSocket from 'ws';
import { ArticlePublishedDocument } from '../client/generated/graphql';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { admin, freshDatabase, onPostgres, queryDatabase, TestDatabase } from './helpers/database';
import { bearer } from './helpers/editors';
import { tempDir } from './helpers/gateway';
import { openRaw } from './helpers/raw-ws';
import { createKeyWithCli, publishArticle } from './helpers/remote';
import { connect, subscribe, waitForStreams, wsUrl } from './helpers/ws';

// The gateway runs as its own process, so that its log can be read.

const UUID = /^[0-9a-f-]{36}$/;
const LEAKS = ['SQLITE', 'no such table', 'does not exist', 'relation', '_gone', 'SELECT', 'stacktrace', 'node_modules'];

let dir: string;
let database: TestDatabase;
let gw: ChildGateway;
let key: string;

beforeAll(async () => {
  dir = tempDir();
  database = await freshDatabase(dir);
  gw = await startChildGateway({ ...database.env, NODE_ENV: 'production' });
  key = createKeyWithCli(database.env, 'editor');
  // Events a subscription from the log's beginning reads from the database: the feed keeps only later ones in memory.
  await publishArticle(gw.url, key, 'before-any-subscriber');
});

afterAll(async () => {
  gw.child.kill('SIGTERM');
  await gw.exited;
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A statement on the gateway's database from outside the gateway. */
async function onDatabase(sql: string): Promise<void> {
  if (onPostgres) {
    await queryDatabase(database.env.DATABASE_URL, sql);
    return;
  }
  const db = new Database(database.env.SQLITE_PATH);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

interface LogEntry {
  msg: string;
  requestId?: string;
  err?: { message: string };
}

/** What the gateway logged under `requestId`, once it has arrived. */
async function loggedUnder(requestId: string): Promise<LogEntry[]> {
  const entries = () =>
    gw
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogEntry)
      .filter((entry) => entry.requestId === requestId);
  await until(() => entries().length > 0);
  return entries();
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('errors over a WebSocket', () => {
  it('masks an error thrown while a subscription replays, logs it under the request id it gives, and closes the stream', async () => {
    const live = connect(gw.url);
    subscribe(live, ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    const replaying = connect(gw.url);
    await onDatabase('ALTER TABLE event RENAME TO event_gone');
    try {
      const replay = subscribe(replaying, ArticlePublishedDocument, { after: '0' });
      await expect(replay.waitFor(1)).rejects.toThrow();
      expect(replay.errors).toHaveLength(1);
      const [error] = replay.errors;
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(UUID) });
      const requestId = error.extensions!.requestId as string;
      expect(error.message).toContain(requestId);
      for (const leak of LEAKS) expect(JSON.stringify(replay.errors)).not.toContain(leak);
      expect(await loggedUnder(requestId)).toContainEqual(
        expect.objectContaining({ msg: expect.stringContaining('unexpected error'), err: expect.objectContaining({ message: expect.stringMatching(/no such table: event|relation "event" does not exist/) }) }),
      );
      await waitForStreams(gw.url, 1);
    } finally {
      await onDatabase('ALTER TABLE event_gone RENAME TO event');
      await Promise.all([live.dispose(), replaying.dispose()]);
    }
    await waitForStreams(gw.url, 0);
  });

  it('closes a connection_init it could not check with 1013, quoting the logged request id, and a retrying client then gets in', async () => {
    await onDatabase('ALTER TABLE api_key RENAME TO api_key_gone');
    let renamed = true;
    const restore = async () => {
      if (renamed) await onDatabase('ALTER TABLE api_key_gone RENAME TO api_key');
      renamed = false;
    };
    const closes: number[] = [];
    const client = createClient({
      url: wsUrl(gw.url),
      webSocketImpl: WebSocket,
      connectionParams: bearer(key),
      lazy: true,
      retryAttempts: 20,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 200)),
      on: { closed: (event) => void closes.push((event as { code: number }).code) },
    });
    try {
      const raw = await openRaw(gw.url);
      raw.send({ type: 'connection_init', payload: bearer(key) });
      const { code, reason } = await raw.closed;
      expect(code).toBe(1013);
      const requestId = /request id ([0-9a-f-]{36})/.exec(reason)?.[1];
      expect(requestId).toMatch(UUID);
      for (const leak of LEAKS) expect(reason).not.toContain(leak);
      expect(await loggedUnder(requestId!)).toContainEqual(
        expect.objectContaining({ err: expect.objectContaining({ message: expect.stringMatching(/no such table: api_key|relation "api_key" does not exist/) }) }),
      );

      const received = subscribe(client, ArticlePublishedDocument, {});
      await until(() => closes.length > 0);
      expect(closes[0]).toBe(1013);
      await restore();
      await waitForStreams(gw.url, 1);
      expect(received.errors).toEqual([]);
    } finally {
      await restore();
      await client.dispose();
    }
    await waitForStreams(gw.url, 0);
  });

  (onPostgres ? it : it.skip)('answers SERVICE_UNAVAILABLE while PostgreSQL is unreachable: a replay ends with it, and a connection_init closes with 1013 (needs PostgreSQL)', async () => {
    const name = new URL(database.env.DATABASE_URL).pathname.slice(1);
    const live = connect(gw.url);
    subscribe(live, ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    const replaying = connect(gw.url);
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      const replay = subscribe(replaying, ArticlePublishedDocument, { after: '0' });
      await expect(replay.waitFor(1)).rejects.toThrow();
      expect(replay.errors.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryAfter: 5, requestId: expect.stringMatching(UUID) }]);
      expect(replay.errors[0].message).not.toMatch(/postgres|connect|database|ALLOW/i);

      const raw = await openRaw(gw.url);
      raw.send({ type: 'connection_init', payload: bearer(key) });
      const { code, reason } = await raw.closed;
      expect(code).toBe(1013);
      expect(reason).toMatch(/try again/);
      expect(reason).not.toMatch(/postgres|connect|database|ALLOW/i);
    } finally {
      await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await Promise.all([live.dispose(), replaying.dispose()]);
    }
    await waitForStreams(gw.url, 0);
  });
});
