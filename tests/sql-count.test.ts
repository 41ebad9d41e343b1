import { HomeListDocument, ReferencePageDocument } from '../client/generated/graphql';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

describe('SQL statements per request do not grow with the page', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 1000 });
  });
  afterAll(() => gw.stop());

  async function statements(run: () => Promise<{ errors?: unknown }>): Promise<number> {
    const before = await gw.sqlStatements();
    const res = await run();
    expect(res.errors).toBeUndefined();
    return (await gw.sqlStatements()) - before;
  }

  it('runs the same small number of statements for the home list of 5 and of 100', async () => {
    const small = await statements(() => gw.request(HomeListDocument, { first: 5, language: 'ja' }));
    const large = await statements(() => gw.request(HomeListDocument, { first: 100, language: 'ja' }));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(6);
    // The page, its authors, related articles and translation facts each take one: a counter that
    // stopped counting would pass the bounds above.
    expect(large).toBeGreaterThanOrEqual(4);
  });

  it('really loads the relations it counts (authors, related, translations) on the large page', async () => {
    const res = await gw.request(HomeListDocument, { first: 100, language: 'ja' });
    const nodes = res.data!.articles.edges.map((e) => e.node);
    expect(nodes.some((n) => n.authors.length > 0)).toBe(true);
    expect(nodes.some((n) => n.related.some((r) => r.authors.length > 0))).toBe(true);
    expect([...new Set(nodes.map((n) => n.translationStatus.state))]).toEqual(
      expect.arrayContaining(['AVAILABLE', 'REQUESTED', 'NOT_TRANSLATED']),
    );
  });

  it('builds search-engine data for a list of 5 and of 100 in the same statements', async () => {
    const list = (first: number) => gw.raw(`{ articles(first: ${first}) { edges { node { seo { canonicalUrl openGraph { image authors } jsonLd } } } } }`);
    const small = await statements(() => list(5));
    const large = await statements(() => list(100));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(5);
  });

  it('serves feeds of 5 and of 100 entries, and a sitemap, in statements that do not grow with them', async () => {
    const fetched = (path: string) => async () => {
      const res = await fetch(`${gw.url}${path}`);
      expect(res.status).toBe(200);
      await res.text();
      return {};
    };
    const feedOf = async (entries: number) => {
      const other = await startGateway({ synthetic: 1000, env: { FEED_ENTRIES: String(entries) } });
      try {
        const before = await other.sqlStatements();
        const res = await fetch(`${other.url}/feeds/articles.rss`);
        expect((await res.text()).split('<item>')).toHaveLength(entries + 1);
        return (await other.sqlStatements()) - before;
      } finally {
        await other.stop();
      }
    };
    expect(await feedOf(100)).toBe(await feedOf(5));
    // A shard of about a thousand URLs: at most two batches, each its rows and their language versions.
    expect(await statements(fetched('/sitemaps/articles-0.xml'))).toBeLessThanOrEqual(4);
  });

  it('serves the reference page in a bounded number of statements', async () => {
    const count = await statements(() => gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language: 'ja' }));
    expect(count).toBeLessThanOrEqual(6);
    expect(count).toBeGreaterThanOrEqual(3);
  });
});
