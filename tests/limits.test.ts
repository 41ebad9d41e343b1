import { print } from 'graphql';
import { HomeListDocument, ReferencePageDocument } from '../client/generated/graphql';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

/** Each limit rejects before any resolver or SQL runs, with a code and a message naming the limit. */
describe('operation limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => gw.stop());

  async function rejected(body: unknown, status: number, code: string, message: RegExp) {
    const before = await gw.sqlStatements();
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json: any = await res.json();
    expect(res.status).toBe(status);
    expect(json.data).toBeUndefined();
    expect(json.errors.map((e: any) => e.extensions.code)).toContain(code);
    expect(json.errors.map((e: any) => e.message).join('\n')).toMatch(message);
    expect(await gw.sqlStatements()).toBe(before);
  }

  const nested = (levels: number) => `{ article(slug: "${REFERENCE_SLUG}") { ${'translationOf { '.repeat(levels)} slug ${'} '.repeat(levels)} } }`;

  it('depth: 12 levels pass, 13 are refused', async () => {
    const ok = await gw.raw(nested(10));
    expect(ok.errors).toBeUndefined();
    await rejected({ query: nested(11) }, 400, 'GRAPHQL_VALIDATION_FAILED', /depth limit of 12 exceeded, found 13/);
  });

  it('depth counts Relay edges and node as the levels they are', async () => {
    const connection = `{ articles(first: 1) { edges { node { translationOf { ${'translationOf { '.repeat(8)} slug ${'} '.repeat(8)} } } } } }`;
    await rejected({ query: connection }, 400, 'GRAPHQL_VALIDATION_FAILED', /depth limit of 12 exceeded, found 13/);
  });

  it('aliases: 15 pass, 16 are refused', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: licenses { key }`).join(' ')} }`;
    expect((await gw.raw(aliases(15))).errors).toBeUndefined();
    await rejected({ query: aliases(16) }, 400, 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 15 exceeded, found 16/i);
  });

  it('directives: more than 50 are refused', async () => {
    await rejected(
      { query: `{ licenses { ${'__typename @include(if: true) '.repeat(51)} } }` },
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /Directives limit of 50 exceeded, found 51/i,
    );
  });

  it('root fields: 20 pass, 21 are refused', async () => {
    expect((await gw.raw(`{ ${'licenses { key } '.repeat(20)} }`)).errors).toBeUndefined();
    await rejected({ query: `{ ${'licenses { key } '.repeat(21)} }` }, 400, 'GRAPHQL_VALIDATION_FAILED', /Root field limit of 20 exceeded, found 21/);
  });

  it('requestTranslation must travel alone', async () => {
    await rejected(
      { query: 'mutation { a: requestTranslation(input: { articleId: "x", language: "ja" }) { alreadyRequested } b: requestTranslation(input: { articleId: "x", language: "de" }) { alreadyRequested } }' },
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /requestTranslation must be the only field/,
    );
  });

  it('tokens: more than 2,000 are refused by the parser', async () => {
    await rejected({ query: `{ licenses { ${'key '.repeat(2100)} } }` }, 400, 'GRAPHQL_PARSE_FAILED', /more tha[nt] 2000 tokens/);
  });

  it('document size: more than 15,000 characters are refused before parsing', async () => {
    await rejected({ query: `{ licenses { key } } #${'x'.repeat(15000)}` }, 400, 'BAD_REQUEST', /Document size limit of 15000 characters exceeded/);
  });

  it('cost: nested pages multiply, and the bill is refused before execution', async () => {
    const query = '{ articles(first: 100) { edges { node { authors { articles(first: 100) { edges { node { slug } } } } } } } }';
    await rejected({ query }, 400, 'QUERY_TOO_COMPLEX', /cost limit of 5000 exceeded, found \d+/);
  });

  it('passes the reference page and the home list comfortably, and tells the cost when asked', async () => {
    for (const [doc, variables] of [
      [ReferencePageDocument, { slug: REFERENCE_SLUG, language: 'ja' }],
      [HomeListDocument, { first: 20, language: 'ja' }],
    ] as const) {
      const res = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(doc), variables, extensions: { cost: true } }),
      });
      const json: any = await res.json();
      expect(json.errors).toBeUndefined();
      expect(json.extensions.cost.maximum).toBe(5000);
      expect(json.extensions.cost.requested).toBeLessThan(5000 / 4);
    }
  });

  it('refuses page sizes outside 1..100 as BAD_USER_INPUT, never capping them', async () => {
    for (const first of [0, 101]) {
      const res = await gw.raw(`{ articles(first: ${first}) { totalCount } }`);
      expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    }
  });
});
