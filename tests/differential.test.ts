import { print } from 'graphql';
import { HomeListDocument, ReferencePageDocument } from '../client/generated/graphql';
import { postgresAvailable } from './helpers/database';
import { bearer, createKeys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

const ARTICLES = 3000;
const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

/** The same seed on both engines, the same requests to both, the same answers (cursors included) once parsed. */
describeWithPostgres('SQLite and PostgreSQL give identical answers (needs PostgreSQL)', () => {
  let sqlite: TestGateway;
  let postgres: TestGateway;
  let editorKeys: [string, string];

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([
      startGateway({ synthetic: ARTICLES, engine: 'sqlite' }),
      startGateway({ synthetic: ARTICLES, engine: 'postgres' }),
    ]);
    editorKeys = [(await createKeys(sqlite.db)).editor, (await createKeys(postgres.db)).editor];
  });
  afterAll(async () => {
    await sqlite?.stop();
    await postgres?.stop();
  });

  async function both(query: string, variables: Record<string, unknown> = {}, asEditor = false) {
    const [a, b] = await Promise.all(
      [sqlite, postgres].map((gw, i) => gw.raw(query, variables, asEditor ? bearer(editorKeys[i]) : {})),
    );
    expect(a.errors).toBeUndefined();
    expect(b).toEqual(a);
    return a.data as any;
  }

  /** Follows a connection to its end (or `maxPages`) on both engines, comparing every page. */
  async function walk(query: string, variables: Record<string, unknown>, connection: (data: any) => any, maxPages = 1000, asEditor = false) {
    let after: string | null = null;
    let pages = 0;
    let items = 0;
    for (; pages < maxPages; pages++) {
      const data = await both(query, { ...variables, after }, asEditor);
      const list = connection(data);
      items += list.edges.length;
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    return { pages, items };
  }

  const homeList = print(HomeListDocument);

  it('serves the home list the same way, page after page, with every card field', async () => {
    const { items } = await walk(homeList, { first: 20, language: 'ja' }, (d) => d.articles, 10);
    expect(items).toBe(200);
  });

  it.each([
    ['section', { section: 'Economy' }],
    ['language', { language: 'fr' }],
    ['author', { authorSlug: 'synthetic-author-7' }],
    ['license', { licenseKey: 'synthetic-cc-by-sa-4.0' }],
    ['publication', { publicationKey: 'synthetic-publication-2' }],
    ['date range', { publishedAfter: '2009-03-01T00:00:00.000Z', publishedBefore: '2009-06-01T00:00:00.000Z' }],
    ['several at once', { section: 'Health', language: 'en' }],
  ])('filters by %s with the same pages and totals', async (_name, filter) => {
    const query = `query($first: Int, $after: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {
      articles(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount edges { cursor node { id slug publishedAt language section } } pageInfo { hasNextPage endCursor } } }`;
    for (const orderBy of ['PUBLISHED_AT_DESC', 'PUBLISHED_AT_ASC']) {
      const { items } = await walk(query, { first: 50, filter, orderBy }, (d) => d.articles);
      expect(items).toBeGreaterThan(0);
    }
  });

  it.each(['policy', 'civil society', 'water', 'the', 'Links', 'zzzunknownword'])('finds the same articles for "%s" in the same order', async (text) => {
    const query = `query($query: String!, $first: Int, $after: String) {
      search(query: $query, first: $first, after: $after) { totalCount edges { cursor node { slug } } pageInfo { hasNextPage endCursor } } }`;
    await walk(query, { query: text, first: 50 }, (d) => d.search);
  });

  it('shows the same reference page and translation states for many articles and languages', async () => {
    await both(print(ReferencePageDocument), { slug: REFERENCE_SLUG, language: 'ja' });
    const { articles } = await both('{ articles(first: 100) { edges { node { slug } } } }');
    const query = `query($slug: String!) { article(slug: $slug) {
      translations { slug language }
      ja: translationStatus(language: "ja") { language state requestCount translation { slug } }
      de: translationStatus(language: "de") { language state requestCount translation { slug } }
      en: translationStatus(language: "en") { language state requestCount translation { slug } }
      pt: translationStatus(language: "pt-BR") { language state requestCount translation { slug } } } }`;
    for (const { node } of articles.edges) await both(query, { slug: node.slug });
  });

  it('lists authors, their articles and nodes by id the same way', async () => {
    const authors = `query($first: Int, $after: String) { authors(first: $first, after: $after) {
      totalCount edges { cursor node { id slug name articles(first: 5) { totalCount edges { node { slug } } } } } pageInfo { hasNextPage endCursor } } }`;
    const { items } = await walk(authors, { first: 40 }, (d) => d.authors);
    expect(items).toBeGreaterThan(100);
    const { articles } = await both('{ articles(first: 30) { edges { node { id } } } }');
    for (const { node } of articles.edges) await both('query($id: ID!) { node(id: $id) { id ... on Article { slug title summary } } }', { id: node.id });
  });

  it('shows editors the same translation queue', async () => {
    const queue = `query($status: TranslationRequestStatus, $first: Int, $after: String) {
      translationRequests(status: $status, first: $first, after: $after) {
        totalCount edges { cursor node { id language status requestCount article { slug } } } pageInfo { hasNextPage endCursor } } }`;
    for (const status of [null, 'REQUESTED', 'IN_PROGRESS']) {
      const { items } = await walk(queue, { status, first: 100 }, (d) => d.translationRequests, 3, true);
      expect(items).toBeGreaterThan(0);
    }
  }, 60_000);
});
