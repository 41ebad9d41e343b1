import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Client } from 'pg';
import { MAX_AUTHORS } from '../src/articles/editor-input';
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

describe('cost of pages and lists', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 600, env: { NODE_ENV: 'production' } });
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  it('counts a page without first at the default page size, never below what the answer holds', async () => {
    const query = '{ authors { edges { node { slug articles { edges { node { title } } } } } } }';
    for (const variant of [query, query.replace('{ authors {', '{ authors(first: null) {')]) {
      const res = await post(gw, { query: variant, extensions: { cost: true } });
      expect(res.errors).toBeUndefined();
      const authors = res.data.authors.edges;
      const articles = authors.reduce((n: number, a: any) => n + a.node.articles.edges.length, 0);
      expect(authors).toHaveLength(20);
      expect(articles).toBeGreaterThan(300);
      expect(res.extensions!.cost!.requested).toBeGreaterThanOrEqual(authors.length + articles);
    }
  });

  it('counts an article’s authors at the most an article may have', async () => {
    const [{ n }] = await gw.sql<{ n: number }>('SELECT COUNT(*) AS n FROM author');
    expect(Number(n)).toBeGreaterThanOrEqual(MAX_AUTHORS);
    const authors = await post(gw, { query: `{ authors(first: ${MAX_AUTHORS}) { edges { node { id } } } }` });
    const created = await post(
      gw,
      {
        query: 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }',
        variables: { input: { slug: 'many-hands', title: 'Many hands', language: 'en', authorIds: authors.data.authors.edges.map((e: any) => e.node.id) } },
      },
      bearer(keys.editor),
    );
    expect(created.errors).toBeUndefined();
    expect((await post(gw, { query: 'mutation($id: ID!) { publishArticle(id: $id) { id } }', variables: { id: created.data.createArticle.id } }, bearer(keys.editor))).errors).toBeUndefined();

    const res = await post(gw, { query: '{ article(slug: "many-hands") { authors { name } } }', extensions: { cost: true } });
    expect(res.errors).toBeUndefined();
    expect(res.data.article.authors).toHaveLength(MAX_AUTHORS);
    expect(res.extensions!.cost!.requested).toBeGreaterThanOrEqual(1 + MAX_AUTHORS);
  });

  it('refuses nested and aliased pages without first before any SQL', async () => {
    const nested = 'authors { edges { node { articles { edges { node { authors { articles { edges { node { title } } } } } } } } } }';
    const before = await gw.sqlStatements();
    const res = await post(gw, { query: `{ a: ${nested} b: ${nested} }` });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 5000 });
    expect(res.errors![0].extensions!.cost).toBeGreaterThan(5000);
    expect(await gw.sqlStatements()).toBe(before);
  });
});

describe('the cost estimate memo', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.stop());

  function collectGarbage(): void {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
  }

  it('keeps nothing of a variable the operation does not declare', async () => {
    const ask = (i: number) => post(gw, { query: 'query Plain { __typename }', variables: { unused: `${i}:${'x'.repeat(95_000)}` } });
    for (let i = 0; i < 20; i++) expect((await ask(i)).errors).toBeUndefined();
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 20; i < 420; i++) expect((await ask(i)).data).toEqual({ __typename: 'Query' });
    collectGarbage();
    // 400 variables of 95 KB are 38 MB: a memo keeping them would grow the heap by that much.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(10 * 2 ** 20);
  });
});

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
