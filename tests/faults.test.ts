import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { tempDir } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { describeOnSqlite } from './helpers/database';

// The gateway runs as its own process here: POSIX locks do not conflict within one process, so a
// lock held by the test itself would be invisible to an in-process gateway.

async function post(gw: ChildGateway, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, json: (await res.json()) as any };
}

const REQUEST = 'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { requestCount } } }';

describeOnSqlite('a database locked by another process', () => {
  const dir = tempDir();
  const sqlitePath = path.join(dir, 'gateway.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps serving reads, answers writes with SERVICE_UNAVAILABLE after the busy timeout, and recovers', async () => {
    const gw = await startChildGateway({ SQLITE_PATH: sqlitePath, NODE_ENV: 'production', TRANSLATION_REQUESTS_PER_MINUTE: '1000' });
    try {
      const { json: page } = await post(gw, `{ article(slug: "${REFERENCE_SLUG}") { id } }`);
      const id = page.data.article.id;
      const blocker = new Database(sqlitePath);
      blocker.exec('BEGIN EXCLUSIVE');
      try {
        const started = Date.now();
        const read = await post(gw, `{ article(slug: "${REFERENCE_SLUG}") { title } }`);
        expect(read.json.data).toEqual({ article: { title: 'The Global Links Initiative Story' } });
        expect(Date.now() - started).toBeLessThan(1000);

        const writeStarted = Date.now();
        const write = await post(gw, REQUEST, { id }, { 'x-reader-id': 'locked-out' });
        const waited = Date.now() - writeStarted;
        expect(write.json.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: 5 });
        expect(write.json.errors[0].message).toMatch(/busy/);
        expect(JSON.stringify(write.json)).not.toMatch(/SQLITE|locked/);
        expect(waited).toBeGreaterThanOrEqual(4500);
        expect(waited).toBeLessThan(8000);
      } finally {
        blocker.exec('COMMIT');
        blocker.close();
      }
      const after = await post(gw, REQUEST, { id }, { 'x-reader-id': 'locked-out' });
      expect(after.json.data).toEqual({ requestTranslation: { request: { requestCount: 1 } } });
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
  });

  it('answers 503 TIMEOUT when a request runs past the execution limit, and the retry is safe', async () => {
    const gw = await startChildGateway({ SQLITE_PATH: sqlitePath, REQUEST_TIMEOUT_MS: '1000', TRANSLATION_REQUESTS_PER_MINUTE: '1000' });
    try {
      const { json: page } = await post(gw, `{ article(slug: "${REFERENCE_SLUG}") { id } }`);
      const id = page.data.article.id;
      const blocker = new Database(sqlitePath);
      blocker.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      const slow = await post(gw, REQUEST, { id }, { 'x-reader-id': 'slow-reader' });
      const waited = Date.now() - started;
      blocker.exec('COMMIT');
      blocker.close();
      expect(slow.status).toBe(503);
      expect(slow.json.errors[0].extensions.code).toBe('TIMEOUT');
      expect(slow.json.errors[0].message).toMatch(/longer than 1 s/);
      expect(waited).toBeLessThan(2500);
      // requestTranslation is idempotent per reader: however the first attempt ended, one vote counts.
      const retry = await post(gw, REQUEST, { id }, { 'x-reader-id': 'slow-reader' });
      expect(retry.json.data.requestTranslation.request.requestCount).toBe(2);
    } finally {
      gw.child.kill('SIGTERM');
      expect(await gw.exited).toBe(0);
    }
  });
});
