import { print } from 'graphql';
import { HomeListDocument, ReferencePageDocument } from '../client/generated/graphql';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { createHash } from 'node:crypto';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { createPostgresDatabase, PostgresDatabase, postgresAvailable, queryDatabase } from './helpers/database';
import { createKeyWithCli, post, publishArticle } from './helpers/remote';
import { REFERENCE_SLUG } from './helpers/seed-content';

const HOME = print(HomeListDocument);
const home = { first: 5, language: 'ja' };

async function postFor(gw: TestGateway, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A GET as a CDN would forward it: the persisted query's hash, and the text only when registering. */
async function getPersisted(gw: TestGateway, query: string, variables: Record<string, unknown>, withText = false) {
  const hash = createHash('sha256').update(query).digest('hex');
  const params = new URLSearchParams({
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
    ...(withText ? { query } : {}),
  });
  const res = await fetch(`${gw.url}/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
}

describe('Cache-Control from cache hints, and GET with persisted queries', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 50 });
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  it('lets anyone reuse an anonymous answer for as long as its shortest-lived field allows', async () => {
    const list = await postFor(gw, HOME, home);
    expect(list.status).toBe(200);
    // Translation request counts move with every reader: 10 s.
    expect(list.headers.get('cache-control')).toBe('max-age=10, public');
    expect(list.headers.get('vary')).toBe('Authorization');
    const article = await postFor(gw, '{ article(slug: "the-global-links-initiative-story") { title authors { name } heroImage { credit { text } } } }');
    expect(article.headers.get('cache-control')).toBe('max-age=60, public');
    const licenses = await postFor(gw, '{ licenses { key shortName } }');
    expect(licenses.headers.get('cache-control')).toBe('max-age=3600, public');
    const throughFragment = await postFor(gw, 'query { ...Everything } fragment Everything on Query { licenses { key } publications { key } }');
    expect(throughFragment.headers.get('cache-control')).toBe('max-age=3600, public');
  });

  it('gives an interface the strictest policy of the types it may turn out to be', async () => {
    // node() may answer a TranslationRequest (10 s), whatever the fragment selects.
    const license = await postFor(gw, `{ node(id: "${Buffer.from('License:1').toString('base64url')}") { ... on License { key } } }`);
    expect(license.text).toContain('"key"');
    expect(license.headers.get('cache-control')).toBe('max-age=10, public');
  });

  it('says no-store for editors, mutations, unhinted fields and answers with errors', async () => {
    expect((await postFor(gw, HOME, home, bearer(keys.editor))).headers.get('cache-control')).toBe('no-store');
    expect((await postFor(gw, '{ events(first: 1) { edges { cursor } } }')).headers.get('cache-control')).toBe('no-store');
    expect((await postFor(gw, '{ article(slug: "x") { title } licenses { key } }', {}, bearer(keys.editor))).headers.get('cache-control')).toBe(
      'no-store',
    );
    const missingVariable = await postFor(gw, HOME, { first: 5 });
    expect(missingVariable.text).toContain('"errors"');
    expect(missingVariable.headers.get('cache-control')).toBe('no-store');
    const [article] = await gw.sql<{ id: number }>("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
    const mutation = await postFor(
      gw,
      'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { alreadyRequested } }',
      { id: Buffer.from(`Article:${article.id}`).toString('base64url') },
      { 'x-reader-id': 'cache-test-reader' },
    );
    expect(mutation.text).toContain('alreadyRequested');
    expect(mutation.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a GET by hash once the query is registered, with the same body and Cache-Control as the POST', async () => {
    const unknown = await getPersisted(gw, HOME, home);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registering = await getPersisted(gw, HOME, home, true);
    expect(registering.status).toBe(200);
    const byHash = await getPersisted(gw, HOME, home);
    expect(byHash.status).toBe(200);
    expect(byHash.headers.get('cache-control')).toBe('max-age=10, public');
    expect(byHash.body.data.articles.edges).toHaveLength(5);
    expect(byHash.body).toEqual(JSON.parse((await postFor(gw, HOME, home)).text));
  });

  it('refuses a mutation sent as GET, so a cache or a link can never trigger a write', async () => {
    const res = await fetch(
      `${gw.url}/graphql?${new URLSearchParams({ query: 'mutation { requestTranslation(input: { articleId: "x", language: "ja" }) { alreadyRequested } }' })}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(res.status).toBe(405);
  });
});

describe('the in-process response cache (RESPONSE_CACHE_MB)', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 50, env: { RESPONSE_CACHE_MB: '8' } });
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  async function statementsFor(run: () => Promise<unknown>): Promise<number> {
    const before = await gw.sqlStatements();
    await run();
    return (await gw.sqlStatements()) - before;
  }

  it('answers a repeated anonymous query from memory, byte for byte, with one statement: the check that nothing changed', async () => {
    let first = '';
    expect(await statementsFor(async () => (first = (await postFor(gw, HOME, home)).text))).toBeGreaterThan(1);
    const repeat = await postFor(gw, HOME, home);
    const again = repeat.text;
    // PRAGMA data_version on SQLite, the transaction snapshot on PostgreSQL.
    expect(await statementsFor(() => postFor(gw, HOME, home))).toBe(1);
    expect(again).toBe(first);
    expect(repeat.headers.get('age')).not.toBeNull();
    // Other variables are another answer.
    expect(await statementsFor(() => postFor(gw, HOME, { first: 6, language: 'ja' }))).toBeGreaterThan(0);
  });

  it('never serves an editor from it', async () => {
    await postFor(gw, HOME, home);
    expect(await statementsFor(() => postFor(gw, HOME, home, bearer(keys.editor)))).toBeGreaterThan(0);
  });

  it('forgets everything when an editor publishes: the next reader sees the new article', async () => {
    const before = JSON.parse((await postFor(gw, HOME, home)).text);
    await publishArticle(gw.url, keys.editor, 'fresh-off-the-press');
    const after = JSON.parse((await postFor(gw, HOME, home)).text);
    expect(before.data.articles.edges[0].node.slug).not.toBe('fresh-off-the-press');
    expect(after.data.articles.edges[0].node.slug).toBe('fresh-off-the-press');
  });

  it('forgets everything after any editor change, even one that appends no event', async () => {
    const [author] = await gw.sql<{ id: number; slug: string }>('SELECT id, slug FROM author ORDER BY id LIMIT 1');
    const query = `{ author(slug: "${author.slug}") { name } }`;
    const before = JSON.parse((await postFor(gw, query)).text).data.author.name;
    expect(JSON.parse((await postFor(gw, query)).text).data.author.name).toBe(before);
    const updated = await postFor(
      gw,
      'mutation($id: ID!) { updateAuthor(id: $id, input: { name: "Renamed Person" }) { name } }',
      { id: Buffer.from(`Author:${author.id}`).toString('base64url') },
      bearer(keys.editor),
    );
    expect(updated.text).toContain('Renamed Person');
    expect(JSON.parse((await postFor(gw, query)).text).data.author.name).toBe('Renamed Person');
  });

  it('shows a new translation request on the next read of the page', async () => {
    const page = { slug: REFERENCE_SLUG, language: 'ja' };
    const count = async () => JSON.parse((await postFor(gw, print(ReferencePageDocument), page)).text).data.article.translationStatus.requestCount;
    const before = await count();
    expect(await count()).toBe(before);
    const [article] = await gw.sql<{ id: number }>('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
    const asked = await postFor(
      gw,
      'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { requestCount } } }',
      { id: Buffer.from(`Article:${article.id}`).toString('base64url') },
      { 'x-reader-id': 'a-new-reader' },
    );
    expect(JSON.parse(asked.text).data.requestTranslation.request.requestCount).toBe(before + 1);
    expect(await count()).toBe(before + 1);
  });

  it('counts hits, misses and invalidations in /metrics', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(Number(/gateway_response_cache_lookups_total\{result="hit"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(Number(/gateway_response_cache_lookups_total\{result="miss"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(Number(/gateway_response_cache_invalidations_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  const onSqlite = process.env.TEST_DATABASE === 'postgres' ? it.skip : it;
  onSqlite('sees what another process committed to the same SQLite file on the very next request', async () => {
    const other = await startChildGateway({ ...gw.databaseEnv, NODE_ENV: 'test' });
    try {
      expect(JSON.parse((await postFor(gw, HOME, home)).text).data.articles.edges[0].node.slug).not.toBe('from-another-process');
      await publishArticle(other.url, keys.editor, 'from-another-process');
      expect(JSON.parse((await postFor(gw, HOME, home)).text).data.articles.edges[0].node.slug).toBe('from-another-process');
    } finally {
      other.child.kill('SIGTERM');
      await other.exited;
    }
  });
});

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('the response cache of two instances on one PostgreSQL (needs PostgreSQL)', () => {
  let database: PostgresDatabase;
  let a: ChildGateway;
  let b: ChildGateway;
  let key: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // No Redis, and polls ten minutes apart: nothing tells A of B's writes but the database itself.
    const env = { DATABASE_URL: database.url, RESPONSE_CACHE_MB: '8', NODE_ENV: 'test', EVENT_POLL_INTERVAL_MS: '600000' };
    [a, b] = await Promise.all([startChildGateway(env), startChildGateway(env)]);
    key = createKeyWithCli({ DATABASE_URL: database.url }, 'editor');
  });

  afterAll(async () => {
    for (const gw of [a, b]) {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
    await database.drop();
  });

  it('serves on A what was committed through B, or by SQL by hand, on the very next request', async () => {
    const newest = async () => (await post<{ articles: { edges: Array<{ node: { slug: string } }> } }>(a.url, HOME, home)).data!.articles.edges[0].node.slug;
    const before = await newest();
    expect(await newest()).toBe(before);
    for (const slug of ['through-b-1', 'through-b-2', 'through-b-3']) {
      await publishArticle(b.url, key, slug);
      expect(await newest()).toBe(slug);
    }
    await queryDatabase(database.url, "UPDATE article SET slug = 'renamed-by-hand' WHERE slug = 'through-b-3'");
    expect(await newest()).toBe('renamed-by-hand');
  });
});

describe('with RESPONSE_CACHE_MB=0', () => {
  it('runs the query again for every request', async () => {
    const gw = await startGateway({ env: { RESPONSE_CACHE_MB: '0' } });
    try {
      await postFor(gw, HOME, home);
      const before = await gw.sqlStatements();
      await postFor(gw, HOME, home);
      expect((await gw.sqlStatements()) - before).toBeGreaterThan(0);
    } finally {
      await gw.stop();
    }
  });
});
