import { createHash } from 'node:crypto';
import { bearer, createKeys, globalId } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { connect } from './helpers/ws';

// Requests that are the client's mistake are refused with a code the client can act on, never
// with a masked INTERNAL_SERVER_ERROR (which also lands in the error log as if the gateway broke).

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ env: { NODE_ENV: 'production' } });
});
afterAll(() => gw.stop());

async function get(params: Record<string, string>) {
  const res = await fetch(`${gw.url}/graphql?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('an automatic persisted query sent wrong', () => {
  const query = '{ licenses { key } }';

  it('with a hash that is not its document\'s is refused as BAD_REQUEST', async () => {
    const { status, body } = await get({ query, extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } }) });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_REQUEST', 'provided sha does not match query']]);
  });

  it('of a version the gateway does not know is refused as BAD_REQUEST', async () => {
    const { status, body } = await get({ query, extensions: JSON.stringify({ persistedQuery: { version: 2, sha256Hash: sha256(query) } }) });
    expect(status).toBe(400);
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_REQUEST', 'Unsupported persisted query version']]);
  });

  it('with the right hash still registers and runs', async () => {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
    expect((await get({ query, extensions })).body).toEqual({ data: { licenses: expect.any(Array) } });
    expect((await get({ extensions })).body).toEqual({ data: { licenses: expect.any(Array) } });
  });
});

describe('a subscription sent over HTTP', () => {
  it('is told that subscriptions are served over a WebSocket, with the code BAD_REQUEST', async () => {
    const res = await gw.raw('subscription { articlePublished { cursor } }');
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('WebSocket'), path: ['articlePublished'], extensions: { code: 'BAD_REQUEST' } }),
    ]);
  });

  it('keeps asking an editor key for translationRequested first', async () => {
    const res = await gw.raw('subscription { translationRequested { cursor } }');
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('a language tag that names no language ("und", undetermined)', () => {
  const error = { code: 'BAD_USER_INPUT', message: expect.stringContaining('names no language') };
  const codeAndMessage = (res: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) =>
    res.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));

  it('is refused as the language a reader asks the translation state for', async () => {
    const res = await gw.raw(`{ article(slug: "${REFERENCE_SLUG}") { translationStatus(language: "und-Latn") { state } } }`);
    expect(codeAndMessage(res)).toEqual([error]);
  });

  it('is refused as the language a reader asks a translation in', async () => {
    const { data } = await gw.raw<{ article: { id: string } }>(`{ article(slug: "${REFERENCE_SLUG}") { id } }`);
    const res = await gw.raw(
      'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "und" }) { alreadyRequested } }',
      { id: data!.article.id },
      { 'x-reader-id': 'reader-without-a-language' },
    );
    expect(codeAndMessage(res)).toEqual([error]);
  });

  it('is refused as the language of a new article, which every reader of it would otherwise stumble on', async () => {
    const keys = await createKeys(gw.db);
    const res = await gw.raw(
      'mutation { createArticle(input: { slug: "undetermined", title: "Undetermined", language: "und" }) { id } }',
      {},
      bearer(keys.editor),
    );
    expect(codeAndMessage(res)).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringContaining('input.language "und"') }]);
    expect(await gw.count("article WHERE slug = 'undetermined'")).toBe(0);
  });

  it('is refused as a filter of the article list', async () => {
    const res = await gw.raw('{ articles(filter: { language: "und" }) { edges { node { slug } } } }');
    expect(codeAndMessage(res)).toEqual([error]);
  });
});

describe('a subscription with @skip or @include on its top level field', () => {
  const refusal = expect.objectContaining({
    message: 'Anonymous Subscription must not use @skip or @include on its top level selections.',
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  });

  it('is refused as GRAPHQL_VALIDATION_FAILED over HTTP, with a variable condition too', async () => {
    const res = await gw.raw('subscription($on: Boolean!) { articlePublished @include(if: $on) { cursor } }', { on: true });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([refusal]);
  });

  it('is refused over a WebSocket, whose other operations go on', async () => {
    const client = connect(gw.url);
    try {
      for (const query of ['subscription { articlePublished @skip(if: true) { cursor } }', 'subscription($on: Boolean!) { articlePublished @include(if: $on) { cursor } }']) {
        const refused = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query, variables: { on: true } },
            {
              next: resolve,
              // A socket the gateway closes arrives as its close event, of which only the code says anything.
              error: (err) => resolve(Array.isArray(err) ? err : { closed: (err as { code?: number }).code }),
              complete: () => resolve('completed'),
            },
          );
        });
        expect(refused).toEqual([refusal]);
      }
      const licenses = await new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query: '{ licenses { key } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect(licenses).toEqual({ data: { licenses: expect.any(Array) } });
    } finally {
      await client.dispose();
    }
  });
});

describe('an id whose number is beyond the id columns (32-bit integers on PostgreSQL)', () => {
  it('is refused as BAD_USER_INPUT by node, article and requestTranslation, before the database is asked', async () => {
    const id = globalId('Article', 2 ** 31);
    const refused = [{ code: 'BAD_USER_INPUT', message: `id "${id}" is not a valid id.` }];
    const codeAndMessage = (res: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) =>
      res.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));
    expect(codeAndMessage(await gw.raw('query($id: ID!) { node(id: $id) { id } }', { id }))).toEqual(refused);
    expect(codeAndMessage(await gw.raw('query($id: ID!) { article(id: $id) { slug } }', { id }))).toEqual(refused);
    const asked = await gw.raw('mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { alreadyRequested } }', { id }, { 'x-reader-id': 'reader-of-far-ids' });
    expect(asked.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('stops at the largest such number, which is still looked up', async () => {
    const res = await gw.raw('query($id: ID!) { node(id: $id) { id } }', { id: globalId('Article', 2 ** 31 - 1) });
    expect(res).toEqual({ status: 200, data: { node: null } });
  });
});

describe('a document of several operations that does not say which to run', () => {
  const document = 'query One { licenses { key } } query Two { __typename }';

  it('is refused over a WebSocket as OPERATION_RESOLUTION_FAILURE, named or not', async () => {
    const client = connect(gw.url);
    try {
      for (const operationName of [undefined, 'Missing']) {
        const refused = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: document, operationName }, { next: resolve, error: resolve, complete: () => resolve('completed') });
        });
        expect(refused).toEqual([expect.objectContaining({ extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })]);
      }
    } finally {
      await client.dispose();
    }
  });

  it('is refused over HTTP with 400 and the same code', async () => {
    const res = await gw.raw(document);
    expect(res.status).toBe(400);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  });
});
