import { SearchDocument } from '../client/generated/graphql';
import { toSqlTime } from '../src/db/sql';
import { codes, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

describe('full-text search', () => {
  let gw: TestGateway;
  const now = toSqlTime(new Date());
  const add = (slug: string, title: string, summary: string | null, body: string[], status = 'PUBLISHED') =>
    gw.sql(
      `INSERT INTO article (slug, kind, title, summary, body, language, published_at, status, created_at, updated_at)
       VALUES (:slug, 'ARTICLE', :title, :summary, :body, 'en', :now, :status, :now, :now)`,
      { slug, title, summary, body: JSON.stringify(body), now, status },
    );
  /** Published articles in the engine's own search index that match one word, counted there directly. */
  const indexed = async (word: string, slug?: string) => {
    const onlySlug = slug ? 'AND a.slug = :slug' : '';
    const [{ n }] = await gw.sql(
      gw.db.options.type === 'postgres'
        ? `SELECT COUNT(*) AS n FROM article a WHERE a.search_vector @@ plainto_tsquery('gateway_search', :word) ${onlySlug}`
        : `SELECT COUNT(*) AS n FROM article_fts f JOIN article a ON a.id = f.rowid WHERE article_fts MATCH :word AND a.status = 'PUBLISHED' ${onlySlug}`,
      { word, slug },
    );
    return Number(n);
  };

  beforeAll(async () => {
    gw = await startGateway({ synthetic: 500 });
    await add('zeppelin-in-body', 'Airships of the past', null, ['Once a zeppelin crossed the ocean.']);
    await add('zeppelin-in-title', 'The zeppelin returns', null, ['Airships are back.']);
    await add('zeppelin-in-summary', 'Slow travel', 'Why the zeppelin matters', ['Nothing here.']);
    await add('zeppelin-draft', 'Zeppelin zeppelin zeppelin', null, ['zeppelin'], 'DRAFT');
  });
  afterAll(() => gw.stop());

  it('ranks title matches over summary matches over body matches, and hides drafts', async () => {
    const res = await gw.request(SearchDocument, { query: 'zeppelin' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.search.edges.map((e) => e.node.slug)).toEqual(['zeppelin-in-title', 'zeppelin-in-summary', 'zeppelin-in-body']);
    expect(res.data!.search.totalCount).toBe(3);
  });

  it('finds the reference article by words of its body', async () => {
    const res = await gw.request(SearchDocument, { query: 'snowstorm NGOs' });
    expect(res.data!.search.edges.map((e) => e.node.slug)).toEqual([REFERENCE_SLUG]);
  });

  it('pages through many matches, each exactly once', async () => {
    const n = await indexed('policy');
    expect(n).toBeGreaterThan(40);
    const slugs: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const res = await gw.request(SearchDocument, { query: 'policy', first: 17, after });
      expect(res.errors).toBeUndefined();
      slugs.push(...res.data!.search.edges.map((e) => e.node.slug));
      if (!res.data!.search.pageInfo.hasNextPage) break;
      after = res.data!.search.pageInfo.endCursor;
    }
    expect(slugs).toHaveLength(n);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it('keeps the index in step with updates and deletes', async () => {
    await gw.db.query("UPDATE article SET title = 'The dirigible returns' WHERE slug = 'zeppelin-in-title'");
    const dirigible = await gw.request(SearchDocument, { query: 'dirigible' });
    expect(dirigible.data!.search.edges.map((e) => e.node.slug)).toEqual(['zeppelin-in-title']);
    await gw.db.query("DELETE FROM article WHERE slug = 'zeppelin-in-summary'");
    const zeppelin = await gw.request(SearchDocument, { query: 'zeppelin' });
    expect(zeppelin.data!.search.edges.map((e) => e.node.slug)).toEqual(['zeppelin-in-body']);
  });

  it('indexes an article when it is published and forgets it when it is unpublished', async () => {
    const slugs = async () => (await gw.request(SearchDocument, { query: 'zeppelin' })).data!.search.edges.map((e) => e.node.slug);
    await gw.sql("UPDATE article SET status = 'PUBLISHED', published_at = :now WHERE slug = 'zeppelin-draft'", { now });
    expect(await slugs()).toContain('zeppelin-draft');
    await gw.db.query("UPDATE article SET status = 'DRAFT' WHERE slug = 'zeppelin-draft'");
    expect(await slugs()).not.toContain('zeppelin-draft');
    expect(await indexed('zeppelin', 'zeppelin-draft')).toBe(0);
  });

  it('treats FTS syntax in the query as plain words', async () => {
    for (const query of ['zeppelin OR NOT "', 'NEAR(zeppelin', 'zeppelin*', "'; DROP TABLE article; --"]) {
      const res = await gw.request(SearchDocument, { query });
      expect(res.errors).toBeUndefined();
    }
    expect(await gw.count('article')).toBeGreaterThan(500);
  });

  it('refuses empty and overlong queries', async () => {
    expect(codes(await gw.request(SearchDocument, { query: ' ?! ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gw.request(SearchDocument, { query: 'word '.repeat(50) }))).toEqual(['BAD_USER_INPUT']);
  });
});
