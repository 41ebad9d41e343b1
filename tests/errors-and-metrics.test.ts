import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

describe('error masking and observability', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => gw.stop());

  it('masks an unexpected database failure and tells the client only a request id', async () => {
    await gw.db.query('ALTER TABLE publication RENAME TO publication_gone');
    try {
      const res = await gw.raw('{ publications { key } }');
      expect(res.status).toBe(200);
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.extensions!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.message).toContain(String(error.extensions!.requestId));
      const text = JSON.stringify(res);
      for (const leak of ['SQLITE', 'SELECT', 'no such table', 'stacktrace', 'node_modules', '/src/']) expect(text).not.toContain(leak);
    } finally {
      await gw.db.query('ALTER TABLE publication_gone RENAME TO publication');
    }
  });

  it('answers reads right again after their table went away and came back', async () => {
    const licenses = async () => {
      const res = await gw.raw<{ licenses: Array<{ key: string; name: string; url: string | null }> }>('{ licenses { key name url } }');
      expect(res.errors).toBeUndefined();
      return res.data!.licenses;
    };
    // The first read leaves its statement prepared; the change below makes SQLite prepare it again.
    const before = await licenses();
    expect(before.some((l) => l.url)).toBe(true);
    await gw.db.query('ALTER TABLE license RENAME TO license_gone');
    try {
      expect((await gw.raw('{ licenses { key } }')).errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await gw.db.query('ALTER TABLE license_gone RENAME TO license');
    }
    expect(await licenses()).toEqual(before);
  });

  it('keeps actionable errors readable with their code', async () => {
    const res = await gw.raw('{ articles(first: 500) { totalCount } }');
    expect(res.errors![0]).toMatchObject({ message: 'first must be between 1 and 100; it was 500.', extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(res)).not.toContain('stacktrace');
  });

  it('answers malformed JSON with 400 and a message, not an HTML page', async () => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('exports requests by operation name, latency and SQL statements in Prometheus format', async () => {
    await gw.raw(`query ReferencePageProbe { article(slug: "${REFERENCE_SLUG}") { title } }`);
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^gateway_graphql_requests_total\{operation="ReferencePageProbe",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^gateway_graphql_request_duration_seconds_count\{operation="ReferencePageProbe"\} 1$/m);
    expect(text).toMatch(/^gateway_sql_statements_total [1-9]\d*$/m);
  });

  it('reports liveness and readiness', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready on a database that lacks one of its migrations', async () => {
    const [last] = await gw.db.query('SELECT * FROM migrations ORDER BY id DESC LIMIT 1');
    await gw.sql('DELETE FROM migrations WHERE id = :id', { id: last.id });
    try {
      const notReady = await fetch(`${gw.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'database not migrated' });
    } finally {
      await gw.sql('INSERT INTO migrations (id, timestamp, name) VALUES (:id, :timestamp, :name)', last);
    }
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  });
});
