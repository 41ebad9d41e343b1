import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { postgresAvailable } from './helpers/database';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { waitFor } from './helpers/redis';

interface Answer {
  status: number;
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
  extensions?: { cost?: { requested: number; maximum: number } };
}

async function post(gw: { url: string }, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** A key of the right shape that no one holds: only the database can tell. */
const unknownKey = () => `cgk_${randomBytes(32).toString('base64url')}`;

describe('the API key lookup comes after the limits', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'production' } });
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  async function refusedWithoutSql(query: string, code: string, key: string) {
    const before = await gw.sqlStatements();
    const res = await post(gw, { query }, bearer(key));
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions!.code).toBe(code);
    expect(await gw.sqlStatements()).toBe(before);
  }

  it('runs no SQL for a document refused by depth, aliases or cost, whatever key it carries', async () => {
    const deep = `{ article(slug: "x") { ${'translationOf { '.repeat(12)} slug ${'} '.repeat(12)} } }`;
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: licenses { key }`).join(' ')} }`;
    const costly = '{ articles(first: 100) { edges { node { authors { articles(first: 100) { edges { node { slug } } } } } } } }';
    for (const key of [unknownKey(), keys.editor]) {
      await refusedWithoutSql(deep, 'GRAPHQL_VALIDATION_FAILED', key);
      await refusedWithoutSql(aliases, 'GRAPHQL_VALIDATION_FAILED', key);
      await refusedWithoutSql(costly, 'QUERY_TOO_COMPLEX', key);
    }
  });

  it('still knows the caller once the operation is let through', async () => {
    const queue = '{ translationRequests(first: 1) { totalCount } }';
    expect((await post(gw, { query: queue }, bearer(keys.editor))).errors).toBeUndefined();
    expect((await post(gw, { query: queue }, bearer(keys.revokedEditor))).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await post(gw, { query: queue }, bearer(unknownKey()))).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await post(gw, { query: queue })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});

/** The log lines (pino JSON) of a gateway in its own process that mention `text`. */
function logLines(child: ChildGateway, text: string): Array<Record<string, any>> {
  return child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(text))
    .map((line) => JSON.parse(line));
}

describe('an API key lookup the database fails', () => {
  let gw: TestGateway;
  let child: ChildGateway;
  beforeAll(async () => {
    gw = await startGateway();
    child = await startChildGateway({ ...gw.databaseEnv, NODE_ENV: 'production' });
  });
  afterAll(async () => {
    child.child.kill('SIGTERM');
    await child.exited;
    await gw.stop();
  });

  it('is masked for the client and logged in full under the request id', async () => {
    await gw.db.query('ALTER TABLE api_key RENAME TO api_key_gone');
    try {
      const res = await post(child, { query: '{ __typename }' }, bearer(unknownKey()));
      expect(res.status).toBe(500);
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(error.message).toContain(error.extensions!.requestId);
      expect(JSON.stringify(res)).not.toMatch(/api_key|context creation|sqlite|relation|select/i);
      await waitFor(async () => logLines(child, error.extensions!.requestId).length > 0);
      const [line] = logLines(child, error.extensions!.requestId);
      expect(line.level).toBeGreaterThanOrEqual(50);
      expect(JSON.stringify(line.err)).toMatch(/api_key/);
    } finally {
      await gw.db.query('ALTER TABLE api_key_gone RENAME TO api_key');
    }
  });
});

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('an API key lookup past the statement timeout (needs PostgreSQL)', () => {
  let gw: TestGateway;
  let child: ChildGateway;
  beforeAll(async () => {
    gw = await startGateway({ engine: 'postgres' });
    child = await startChildGateway({ ...gw.databaseEnv, NODE_ENV: 'production', DB_STATEMENT_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    child.child.kill('SIGTERM');
    await child.exited;
    await gw.stop();
  });

  it('answers SERVICE_UNAVAILABLE with Retry-After and logs the cancelled statement', async () => {
    const locker = new Client({ connectionString: gw.databaseEnv.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE');
      const res = await fetch(`${child.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(unknownKey()) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const json: any = await res.json();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(json.data).toBeUndefined();
      expect(json.errors).toHaveLength(1);
      expect(json.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfter: 5 });
      expect(JSON.stringify(json)).not.toMatch(/api_key|statement|timeout|context creation|57014/i);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await waitFor(async () => logLines(child, '57014').length > 0);
    const [line] = logLines(child, '57014');
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.level).toBeGreaterThanOrEqual(50);
  });
});
