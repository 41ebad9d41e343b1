import { createHash } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { bearer, createKeys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { slowRequest } from './helpers/slow-request';
import { REFERENCE_SLUG } from './helpers/seed-content';

describe('HTTP rules', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'production', TRANSLATION_REQUESTS_PER_MINUTE: '10' } });
  });
  afterAll(() => gw.stop());

  /** Sends a raw request and checks its status, error code, and that no SQL ran. */
  async function refused(init: RequestInit & { path?: string }, status: number, code: string) {
    const before = await gw.sqlStatements();
    const res = await fetch(`${gw.url}${init.path ?? '/graphql'}`, init);
    expect(res.status).toBe(status);
    const json: any = await res.json();
    expect(json.errors[0].extensions.code).toBe(code);
    expect(json.errors[0].message.length).toBeGreaterThan(10);
    expect(await gw.sqlStatements()).toBe(before);
    return res;
  }
  const json = { 'content-type': 'application/json' };
  const pageQuery = `{ article(slug: "${REFERENCE_SLUG}") { title } }`;

  it('answers a body over 100 KiB with 413, and one just under it with GraphQL', async () => {
    const big = JSON.stringify({ query: '{ licenses { key } }', variables: { pad: 'x'.repeat(101 * 1024) } });
    await refused({ method: 'POST', headers: json, body: big }, 413, 'PAYLOAD_TOO_LARGE');
    const fits = JSON.stringify({ query: '{ licenses { key } }', variables: { pad: 'x'.repeat(99 * 1024 - 100) } });
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: json, body: fits });
    expect(res.status).toBe(200);
  });

  it.each([
    ['application/json; charset=utf-7'],
    ['application/json; charset=ibm037'],
    ['text/plain'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
  ])('answers Content-Type %s with 415', async (contentType) => {
    await refused({ method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ query: pageQuery }) }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('gives an answer with characters beyond ASCII its length in bytes', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: 'query($n: Int) { articles(first: $n) { totalCount } }', variables: { n: 'Überblick 日本語' } }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(JSON.parse(bytes.toString('utf8')).errors[0].message).toContain('"Überblick 日本語"');
  });

  it('answers a POST without a content type, or with a compressed body, with 415', async () => {
    await refused({ method: 'POST', body: JSON.stringify({ query: pageQuery }) }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const gzipped = gzipSync(JSON.stringify({ query: pageQuery }));
    await refused({ method: 'POST', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipped }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('gives GET answers an ETag, and answers a request that has it with 304 and no body', async () => {
    // node:http rather than fetch, which marks every conditional request "cache-control: no-cache".
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; etag: string | undefined; body: string }>((resolve, reject) => {
        const url = `${gw.url}/graphql?query=${encodeURIComponent(pageQuery)}`;
        http
          .get(url, { headers: { 'apollo-require-preflight': 'true', ...headers } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, etag: res.headers.etag, body }));
          })
          .on('error', reject);
      });
    const first = await get({});
    expect(first.etag).toMatch(/^W\/"/);
    expect(await get({ 'if-none-match': first.etag! })).toEqual({ status: 304, etag: first.etag, body: '' });
    const other = await get({ 'if-none-match': 'W/"other"' });
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body).data.article.title).toBe('The Global Links Initiative Story');
  });

  it('answers a mutation over GET with 405 and changes nothing', async () => {
    const rows = await gw.count('translation_request');
    const query = encodeURIComponent('mutation { requestTranslation(input: { articleId: "QXJ0aWNsZTox", language: "ja" }) { alreadyRequested } }');
    const res = await refused(
      { path: `/graphql?query=${query}`, headers: { 'apollo-require-preflight': 'true', 'x-reader-id': 'r' } },
      405,
      'BAD_REQUEST',
    );
    expect(res.headers.get('allow')).toBe('POST');
    expect(await gw.count('translation_request')).toBe(rows);
  });

  it('serves queries over GET only with a preflight header (CSRF prevention)', async () => {
    const path = `/graphql?query=${encodeURIComponent(pageQuery)}`;
    await refused({ path }, 400, 'BAD_REQUEST');
    const res = await fetch(`${gw.url}${path}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.article.title).toBe('The Global Links Initiative Story');
  });

  it('answers malformed JSON and batched requests with 400', async () => {
    await refused({ method: 'POST', headers: json, body: '{"query": "{ licenses { key } }"' }, 400, 'BAD_REQUEST');
    await refused({ method: 'POST', headers: json, body: JSON.stringify([{ query: pageQuery }, { query: pageQuery }]) }, 400, 'BAD_REQUEST');
  });

  it('turns introspection and field suggestions off in production', async () => {
    await refused({ method: 'POST', headers: json, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) }, 400, 'GRAPHQL_VALIDATION_FAILED');
    const typo = await gw.raw('{ licences { key } }');
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo)).not.toMatch(/Did you mean/);
    const typename = await gw.raw('{ __typename }');
    expect(typename.data).toEqual({ __typename: 'Query' });
  });

  it('supports automatic persisted queries, over POST and over GET', async () => {
    const query = `{ article(slug: "${REFERENCE_SLUG}") { title } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: json, body: JSON.stringify({ extensions }) });
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: json, body: JSON.stringify({ query, extensions }) });
    expect(((await register.json()) as any).data.article.title).toBe('The Global Links Initiative Story');
    const byHash = await fetch(`${gw.url}/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(((await byHash.json()) as any).data.article.title).toBe('The Global Links Initiative Story');
  });

  it('limits requestTranslation per client address: the 11th in a minute is RATE_LIMITED and writes nothing', async () => {
    const [{ id }] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
    const articleId = Buffer.from(`Article:${id}`).toString('base64url');
    const ask = (i: number) =>
      gw.raw('mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { requestCount } } }', { id: articleId }, { 'x-reader-id': `limited-${i}` });
    for (let i = 1; i <= 10; i++) expect((await ask(i)).errors).toBeUndefined();
    const readers = await gw.count('translation_request_reader');
    const eleventh = await ask(11);
    expect(eleventh.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(eleventh.errors![0].extensions!.retryAfter).toBeGreaterThan(0);
    expect(await gw.count('translation_request_reader')).toBe(readers);
  });
});

describe('text with a NUL character', () => {
  it('is refused as BAD_USER_INPUT in lookups and in writes, on every engine, and writes nothing', async () => {
    const gw = await startGateway();
    try {
      const lookup = await gw.raw('query($slug: String!) { author(slug: $slug) { name } article(slug: "a\\u0000b") { title } }', { slug: 'x\u0000' });
      expect(lookup.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect(lookup.errors![0].message).toMatch(/NUL character/);
      const { editor } = await createKeys(gw.db);
      const authors = await gw.count('author');
      const write = await gw.raw(
        'mutation($bio: String) { createAuthor(input: { slug: "nul-bio", name: "Nul Bio", bio: $bio }) { id } }',
        { bio: 'before\u0000after' },
        bearer(editor),
      );
      expect(write.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(await gw.count('author')).toBe(authors);
    } finally {
      await gw.stop();
    }
  });
});

describe('development mode', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'development' } });
  });
  afterAll(() => gw.stop());

  it('keeps introspection and suggestions for developers', async () => {
    expect((await gw.raw('{ __schema { queryType { name } } }')).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(JSON.stringify(await gw.raw('{ licences { key } }'))).toMatch(/Did you mean/);
  });
});

describe('requests in flight per client address', () => {
  it('answers requests beyond the limit with 429 at once, and serves again once earlier ones finish', async () => {
    const gw = await startGateway({ env: { MAX_CONCURRENT_REQUESTS_PER_ADDRESS: '3' } });
    try {
      const body = JSON.stringify({ query: '{ licenses { key } }' });
      // Three requests whose bodies have not finished arriving: in flight until they do.
      const slow = await Promise.all(Array.from({ length: 3 }, () => slowRequest(gw.url, body)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const send = () => fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { errors: Array<{ extensions: Record<string, unknown> }> }).errors[0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'maxConcurrentRequestsPerAddress',
      });
      for (const answer of await Promise.all(slow.map((request) => request.finish()))) expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect((await send()).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});
