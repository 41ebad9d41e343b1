import fc from 'fast-check';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

/**
 * Thousands of generated operations, variables and bodies against the running gateway: every answer
 * must be a well-formed GraphQL or HTTP error or a result; a masked INTERNAL_SERVER_ERROR is a bug.
 */
describe('fuzzing the HTTP endpoint', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 200, env: { NODE_ENV: 'production', TRANSLATION_REQUESTS_PER_MINUTE: '1000000' } });
  });
  afterAll(() => gw.stop());

  const hostileString = fc.oneof(
    fc.string(),
    fc.constantFrom("'", '"', ';', '--', '/*', '*/', '\u0000', 'NEAR(', '*', 'OR', '%', '_', '\\', '${x}', '__proto__', 'constructor'),
    fc.string({ minLength: 1000, maxLength: 10_000 }),
    fc.constantFrom('ja', 'en-US', 'zh-Hant-TW', 'x-klingon', 'i-default', 'en_US', ''),
  );
  const hostileValue = fc.oneof(
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 101, 2 ** 31, -(2 ** 53), Number.MAX_SAFE_INTEGER),
    fc.boolean(),
    fc.constant(null),
    fc.jsonValue(),
    fc.constant({ __proto__: { polluted: 1 } }),
  );

  const literal = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' && Number.isFinite(v) ? String(v) : 'null');

  const articleFields = fc.subarray(
    [
      'slug',
      'title',
      'body',
      'authors { name }',
      'heroImage { credit { text html } }',
      'license { url }',
      'related { slug }',
      'translations { language }',
      'translationOf { slug }',
      'publication { name }',
    ],
    { minLength: 1 },
  );
  const operation = fc.oneof(
    fc.tuple(hostileValue, hostileValue, articleFields).map(([slug, lang, f]) => `{ article(slug: ${literal(slug)}) { ${f.join(' ')} translationStatus(language: ${literal(lang)}) { state } } }`),
    fc.tuple(hostileValue, hostileValue, articleFields).map(([first, after, f]) => `{ articles(first: ${literal(first)}, after: ${literal(after)}) { totalCount edges { node { ${f.join(' ')} } } } }`),
    fc.tuple(hostileValue, hostileValue).map(([q, first]) => `{ search(query: ${literal(q)}, first: ${literal(first)}) { totalCount edges { node { slug } } } }`),
    fc.tuple(hostileValue).map(([id]) => `{ node(id: ${literal(id)}) { id } article(id: ${literal(id)}) { slug } }`),
    fc.tuple(hostileValue, hostileValue).map(([id, lang]) => `mutation { requestTranslation(input: { articleId: ${literal(id)}, language: ${literal(lang)} }) { alreadyRequested } }`),
    fc.tuple(hostileValue, hostileValue).map(([slug, first]) => `{ author(slug: ${literal(slug)}) { articles(first: ${literal(first)}) { totalCount } } authors(first: ${literal(first)}) { totalCount } }`),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), articleFields).map(([alias, f]) => `{ ${alias}: article(slug: "${REFERENCE_SLUG}") { ${f.join(' ')} } }`),
    fc.string(),
    fc.constantFrom('{', '}', '{ article }', 'query { ...F }', 'fragment F on Query { ...F } { ...F }', '{ __schema { types { name } } }'),
  );

  async function send(body: string, contentType = 'application/json', headers: Record<string, string> = {}) {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-reader-id': 'fuzzer', ...headers },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    expect([200, 400, 405, 413, 415]).toContain(res.status);
    const json = JSON.parse(text);
    expect(typeof json).toBe('object');
    for (const error of json.errors ?? []) {
      expect(typeof error.message).toBe('string');
      expect(typeof error.extensions?.code).toBe('string');
      if (error.extensions.code === 'INTERNAL_SERVER_ERROR') throw new Error(`masked internal error for ${body.slice(0, 300)}`);
    }
    expect(text).not.toMatch(/stacktrace|SQLITE_|node_modules/);
    if (res.status === 200) expect(json.data !== undefined || json.errors !== undefined).toBe(true);
  }

  it('answers generated operations with data or a coded error', async () => {
    await fc.assert(fc.asyncProperty(operation, async (query) => send(JSON.stringify({ query }))), { numRuns: 1500 });
  });

  it('answers generated variables and request shapes with data or a coded error', async () => {
    const body = fc.record(
      {
        query: fc.oneof(
          fc.constant('query($slug: String!, $first: Int) { article(slug: $slug) { related(first: $first) { slug } } }'),
          fc.constant('mutation($id: ID!, $l: String!) { requestTranslation(input: { articleId: $id, language: $l }) { alreadyRequested } }'),
          hostileValue,
        ),
        variables: fc.oneof(fc.dictionary(fc.constantFrom('slug', 'first', 'id', 'l', '__proto__', 'constructor'), hostileValue), hostileValue),
        operationName: fc.oneof(hostileValue, fc.constant(undefined)),
        extensions: fc.oneof(fc.constant(undefined), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(fc.asyncProperty(body, async (b) => send(JSON.stringify(b))), { numRuns: 1000 });
  });

  it('answers malformed bodies and content types with an HTTP error', async () => {
    const raw = fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')));
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/graphql', 'application/json; charset=latin1');
    await fc.assert(fc.asyncProperty(raw, contentType, async (b, ct) => send(b, ct)), { numRuns: 800 });
  });

  it('still serves the reference page correctly afterwards, with no prototype polluted', async () => {
    const res = await gw.raw(`{ article(slug: "${REFERENCE_SLUG}") { title related { slug } } }`);
    expect(res.data).toMatchObject({ article: { title: 'The Global Links Initiative Story' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof Function.prototype.call).toBe('function');
  });
});
