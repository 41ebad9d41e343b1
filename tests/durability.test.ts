import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startChildGateway } from './helpers/child-gateway';
import { startGateway, tempDir } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { waitForStreams } from './helpers/ws';
import WebSocket from 'ws';
import { describeOnSqlite } from './helpers/database';

const ROOT = path.join(__dirname, '..');

async function requestTranslation(url: string, articleId: string, reader: string, language = 'ja') {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-reader-id': reader },
    body: JSON.stringify({
      query: 'mutation($id: ID!, $l: String!) { requestTranslation(input: { articleId: $id, language: $l }) { request { requestCount } } }',
      variables: { id: articleId, l: language },
    }),
  });
  const json: any = await res.json();
  if (res.status !== 200 || json.errors) throw new Error(JSON.stringify(json));
  return json.data.requestTranslation.request.requestCount as number;
}

describeOnSqlite('SQLite settings for acknowledged writes', () => {
  it.each([
    ['sqlite3', 5000],
    ['better-sqlite3', 0],
  ])('reads back WAL, FULL sync, foreign keys and the busy timeout on %s', async (driver, busyTimeout) => {
    const gw = await startGateway({ env: { DB_DRIVER: driver } });
    try {
      const one = async (pragma: string) => Object.values((await gw.db.query(`PRAGMA ${pragma}`))[0])[0];
      expect(await one('journal_mode')).toBe('wal');
      expect(await one('synchronous')).toBe(2);
      expect(await one('foreign_keys')).toBe(1);
      // better-sqlite3 would wait on the event loop: its 5 s wait is an asynchronous retry instead.
      expect(await one('busy_timeout')).toBe(busyTimeout);
    } finally {
      await gw.stop();
    }
  });
});

describeOnSqlite('crashes and restarts', () => {
  const dir = tempDir();
  const sqlitePath = path.join(dir, 'gateway.sqlite');
  const env = { SQLITE_PATH: sqlitePath, TRANSLATION_REQUESTS_PER_MINUTE: '1000000' };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged translation request, counted once, across SIGKILLs mid-stream', async () => {
    const acknowledged: string[] = [];
    let articleId = '';
    for (let round = 0; round < 8; round++) {
      const gw = await startChildGateway(env);
      if (!articleId) {
        const res: any = await (
          await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ article(slug: "${REFERENCE_SLUG}") { id } }` }) })
        ).json();
        articleId = res.data.article.id;
      }
      let stop = false;
      const streams = Array.from({ length: 4 }, async (_, s) => {
        for (let i = 0; !stop; i++) {
          const reader = `crash-${round}-${s}-${i}`;
          try {
            await requestTranslation(gw.url, articleId, reader);
            acknowledged.push(reader);
          } catch {
            return;
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + 60 * round));
      gw.child.kill('SIGKILL');
      stop = true;
      await Promise.all(streams);
      await gw.exited;
    }
    expect(acknowledged.length).toBeGreaterThan(50);

    const db = new Database(sqlitePath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const secret = (db.prepare("SELECT value FROM app_setting WHERE key = 'reader_id_secret'").get() as { value: string }).value;
      const stored = new Set((db.prepare('SELECT reader_hash FROM translation_request_reader').all() as Array<{ reader_hash: string }>).map((r) => r.reader_hash));
      const missing = acknowledged.filter((reader) => !stored.has(createHmac('sha256', secret).update(reader).digest('hex')));
      expect(missing).toEqual([]);
      const request = db.prepare('SELECT request_count FROM translation_request').get() as { request_count: number };
      expect(request.request_count).toBe(stored.size);
    } finally {
      db.close();
    }
  });
});

describeOnSqlite('backup, restore and shutdown', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('copies a live database consistently while writes continue, and the copy serves after a restore', async () => {
    const sqlitePath = path.join(dir, 'live.sqlite');
    const gw = await startChildGateway({ SQLITE_PATH: sqlitePath, TRANSLATION_REQUESTS_PER_MINUTE: '1000000' });
    const res: any = await (
      await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ article(slug: "${REFERENCE_SLUG}") { id } }` }) })
    ).json();
    const articleId = res.data.article.id;
    for (let i = 0; i < 20; i++) await requestTranslation(gw.url, articleId, `before-${i}`);

    let writing = true;
    let written = 20;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await requestTranslation(gw.url, articleId, `during-${i}`);
        written += 1;
      }
    })();
    const backupFile = path.join(dir, 'backups', 'copy.sqlite');
    // Asynchronous, so that the writer keeps writing while the copy is taken.
    const backup = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'backup.js'), backupFile], {
      cwd: ROOT,
      env: { ...process.env, SQLITE_PATH: sqlitePath },
    });
    const writtenWhenCopied = written;
    writing = false;
    await writer;
    expect(backup.stdout).toMatch(/integrity ok/);
    expect(writtenWhenCopied).toBeGreaterThan(20);

    const copy = new Database(backupFile, { readonly: true });
    const copied = (copy.prepare('SELECT request_count FROM translation_request').get() as { request_count: number }).request_count;
    const readers = (copy.prepare('SELECT COUNT(*) AS n FROM translation_request_reader').get() as { n: number }).n;
    copy.close();
    expect(copied).toBeGreaterThanOrEqual(20);
    expect(copied).toBeLessThanOrEqual(written);
    expect(readers).toBe(copied);

    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);

    // Restore as the README says: stop the gateway, put the copy in place, start it again.
    const restored = path.join(dir, 'restored.sqlite');
    fs.copyFileSync(backupFile, restored);
    const again = await startChildGateway({ SQLITE_PATH: restored });
    const page: any = await (
      await fetch(`${again.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ article(slug: "${REFERENCE_SLUG}") { translationStatus(language: "ja") { state requestCount } } }` }),
      })
    ).json();
    expect(page.data.article.translationStatus).toEqual({ state: 'REQUESTED', requestCount: copied });
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('on SIGTERM finishes the requests in flight, closes subscriptions with 1001, refuses new connections, checkpoints the WAL and exits 0', async () => {
    const sqlitePath = path.join(dir, 'shutdown.sqlite');
    const seeded = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'seed.js'), '--articles', '3000'], {
      cwd: ROOT,
      env: { ...process.env, SQLITE_PATH: sqlitePath, LOG_LEVEL: 'warn' },
    });
    expect(seeded.stderr).toBe('');
    const gw = await startChildGateway({ SQLITE_PATH: sqlitePath });
    const subscriber = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => subscriber.once('open', resolve));
    subscriber.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => subscriber.once('message', resolve));
    subscriber.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { articlePublished { cursor } }' } }));
    await waitForStreams(gw.url, 1);
    const subscriberClosed = new Promise<number>((resolve) => subscriber.once('close', (code) => resolve(code)));

    // Twenty different pages: the response cache cannot answer one from another.
    const body = (i: number) =>
      JSON.stringify({
        query: `{ articles(first: ${81 + i}) { totalCount edges { node { slug body authors { name } related { slug authors { name } } translationStatus(language: "ja") { state } } } } }`,
      });
    let signalledAt = Infinity;
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) }).then(
        (r) => ({ status: r.status, finishedAfterSignal: Date.now() > signalledAt }),
        // A request still unread in its socket when the signal came is closed unprocessed: nothing
        // ran for it, so a client may safely retry. Anything the gateway began, it finishes.
        () => ({ status: 'closed before it was read', finishedAfterSignal: true }),
      ),
    );
    // Twenty heavy pages take the single-threaded gateway well over 100 ms: most are still running.
    await new Promise((r) => setTimeout(r, 100));
    signalledAt = Date.now();
    gw.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    const fresh = new Promise((resolve) => {
      http.get(`${gw.url}/healthz`, { agent: false }, () => resolve('served')).on('error', (err: NodeJS.ErrnoException) => resolve(err.code));
    });
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(await fresh);

    expect(await subscriberClosed).toBe(1001);
    const results = await Promise.all(inFlight);
    for (const r of results) expect([200, 'closed before it was read']).toContain(r.status);
    expect(results.filter((r) => r.status === 200 && r.finishedAfterSignal).length).toBeGreaterThan(0);
    expect(await gw.exited).toBe(0);
    const wal = `${sqlitePath}-wal`;
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });

  it('with SHUTDOWN_DELAY_MS, answers /readyz with 503 while still serving, then drains and exits 0', async () => {
    const gw = await startChildGateway({ SQLITE_PATH: path.join(dir, 'delayed.sqlite'), SHUTDOWN_DELAY_MS: '1500' });
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    const signalledAt = Date.now();
    gw.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'shutting down' });
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const page = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ article(slug: "${REFERENCE_SLUG}") { title } }` }),
    });
    expect(page.status).toBe(200);
    expect(await gw.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1500);
  });
});
