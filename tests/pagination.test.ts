import { ArticleListDocument, AuthorArticlesDocument } from '../client/generated/graphql';
import { toSqlTime } from '../src/db/sql';
import { codes, startGateway, TestGateway } from './helpers/gateway';

type Filter = Record<string, unknown>;

describe('articles: keyset pagination and filters over a generated set', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Without the response cache, whose freshness check is a statement of its own: the counts
    // below are what a page costs.
    gw = await startGateway({ synthetic: 3000, env: { RESPONSE_CACHE_MB: '0' } });
  });
  afterAll(() => gw.stop());

  async function walk(filter?: Filter, orderBy?: 'PUBLISHED_AT_DESC' | 'PUBLISHED_AT_ASC', between?: () => Promise<void>) {
    const slugs: string[] = [];
    const times: string[] = [];
    let after: string | null | undefined;
    let total = -1;
    for (let page = 0; page < 1000; page++) {
      const res = await gw.request(ArticleListDocument, { first: 100, after, filter, orderBy });
      expect(res.errors).toBeUndefined();
      const list = res.data!.articles;
      total = list.totalCount;
      slugs.push(...list.edges.map((e) => e.node.slug));
      times.push(...list.edges.map((e) => e.node.publishedAt as string));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
      if (page === 2 && between) await between();
    }
    return { slugs, times, total };
  }

  async function publishedSlugs(where = '1 = 1', params: Record<string, unknown> = {}): Promise<string[]> {
    const rows = await gw.sql<{ slug: string }>(
      `SELECT slug FROM article a WHERE a.status = 'PUBLISHED' AND ${where} ORDER BY slug`,
      params,
    );
    return rows.map((r) => r.slug);
  }

  it('returns every published article exactly once, newest first, and never a draft', async () => {
    const { slugs, times, total } = await walk();
    const expected = await publishedSlugs();
    expect(expected.length).toBeGreaterThan(2900);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect([...slugs].sort()).toEqual(expected);
    expect(total).toBe(expected.length);
    expect([...times].sort().reverse()).toEqual(times);
    const drafts: Array<{ slug: string }> = await gw.db.query("SELECT slug FROM article WHERE status = 'DRAFT'");
    expect(drafts.length).toBeGreaterThan(0);
    const seen = new Set(slugs);
    expect(drafts.filter((d) => seen.has(d.slug))).toEqual([]);
  });

  it('stays exact when articles arrive between pages', async () => {
    const before = await publishedSlugs();
    let n = 0;
    const insert = async () => {
      for (const when of [new Date(), new Date('2005-01-01T00:00:00Z')]) {
        n += 1;
        await gw.sql(
          `INSERT INTO article (slug, kind, title, language, published_at, status, created_at, updated_at)
           VALUES (:slug, 'ARTICLE', 'Late arrival', 'en', :when, 'PUBLISHED', :when, :when)`,
          { slug: `late-arrival-${n}`, when: toSqlTime(when) },
        );
      }
    };
    const { slugs } = await walk(undefined, 'PUBLISHED_AT_DESC', insert);
    expect(new Set(slugs).size).toBe(slugs.length);
    // Everything that existed when paging began appears once; the newer arrival is behind the cursor,
    // the older one (published in 2005) is ahead of it and appears too.
    const seen = new Set(slugs);
    expect(before.filter((slug) => !seen.has(slug))).toEqual([]);
    expect(slugs).toContain('late-arrival-2');
    expect(slugs).not.toContain('late-arrival-1');
  });

  it('pages oldest first too', async () => {
    const { slugs, times } = await walk(undefined, 'PUBLISHED_AT_ASC');
    expect(new Set(slugs).size).toBe(slugs.length);
    expect([...slugs].sort()).toEqual(await publishedSlugs());
    expect([...times].sort()).toEqual(times);
  });

  const filters: Array<[string, Filter, string, Record<string, unknown>]> = [
    ['section', { section: 'Economy' }, "a.section = 'Economy'", {}],
    ['language', { language: 'fr' }, "a.language = 'fr'", {}],
    [
      'author',
      { authorSlug: 'synthetic-author-7' },
      "a.id IN (SELECT article_id FROM article_author aa JOIN author au ON au.id = aa.author_id WHERE au.slug = 'synthetic-author-7')",
      {},
    ],
    ['license', { licenseKey: 'synthetic-cc-by-sa-4.0' }, "a.license_id = (SELECT id FROM license WHERE key = 'synthetic-cc-by-sa-4.0')", {}],
    [
      'publication',
      { publicationKey: 'synthetic-publication-2' },
      "a.publication_id = (SELECT id FROM publication WHERE key = 'synthetic-publication-2')",
      {},
    ],
    [
      'date range',
      { publishedAfter: '2009-03-01T00:00:00.000Z', publishedBefore: '2009-06-01T00:00:00.000Z' },
      'a.published_at >= :from AND a.published_at < :to',
      { from: '2009-03-01 00:00:00.000', to: '2009-06-01 00:00:00.000' },
    ],
    [
      'several at once',
      { section: 'Health', language: 'en' },
      "a.section = 'Health' AND a.language = 'en'",
      {},
    ],
  ];
  it.each(filters)('filters by %s, with a matching totalCount', async (_name, filter, where, params) => {
    const expected = await publishedSlugs(where, params);
    expect(expected.length).toBeGreaterThan(0);
    const { slugs, total } = await walk(filter);
    expect([...slugs].sort()).toEqual(expected);
    expect(total).toBe(expected.length);
  });

  it('refuses page sizes outside 1..100 and foreign cursors, running no SQL for them', async () => {
    for (const first of [0, -1, 101]) {
      const before = await gw.sqlStatements();
      const res = await gw.request(ArticleListDocument, { first });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/between 1 and 100/);
      expect(await gw.sqlStatements()).toBe(before);
    }
    const bad = await gw.request(ArticleListDocument, { first: 5, after: 'bm90LWEtY3Vyc29y' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const page = await gw.request(ArticleListDocument, { first: 1, orderBy: 'PUBLISHED_AT_ASC' });
    const crossed = await gw.request(ArticleListDocument, { first: 1, after: page.data!.articles.pageInfo.endCursor });
    expect(codes(crossed)).toEqual(['BAD_USER_INPUT']);
    expect(crossed.errors![0].message).toMatch(/not a cursor from this list/);
  });

  it("pages through one author's articles with the same guarantees", async () => {
    const expected = await publishedSlugs(
      "a.id IN (SELECT article_id FROM article_author aa JOIN author au ON au.id = aa.author_id WHERE au.slug = 'synthetic-author-3')",
    );
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const res = await gw.request(AuthorArticlesDocument, { slug: 'synthetic-author-3', first: 7, after });
      expect(res.errors).toBeUndefined();
      const list = res.data!.author!.articles;
      expect(list.totalCount).toBe(expected.length);
      seen.push(...list.edges.map((e) => e.node.slug));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual(expected);
  });
});
