import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { bearer, createKeys, globalId, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

// Sitemaps as a crawler reads them: the index, then each file it names, parsed as XML and checked
// for the protocol's elements and Google's image, hreflang and news extensions.

let gw: TestGateway;
let keys: Keys;
const BASE = 'https://magazine.example';
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['sitemap', 'url', 'xhtml:link', 'image:image'].includes(name) });

async function editor<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gw.raw<T>(query, variables, bearer(keys.editor));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

async function xml(url: string) {
  expect(url.startsWith(BASE)).toBe(true);
  const res = await fetch(`${gw.url}${url.slice(BASE.length)}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
  const body = await res.text();
  expect(XMLValidator.validate(body)).toBe(true);
  return parser.parse(body);
}

async function urlsOfAllShards(): Promise<any[]> {
  const index = await xml(`${BASE}/sitemap.xml`);
  const shards = index.sitemapindex.sitemap.map((s: any) => s.loc).filter((loc: string) => loc.includes('/articles-'));
  const urls = [];
  for (const shard of shards) urls.push(...(await xml(shard)).urlset.url);
  return urls;
}

beforeAll(async () => {
  gw = await startGateway({ env: { PUBLIC_BASE_URL: BASE, SITE_NAME: 'Policy Innovations' } });
  keys = await createKeys(gw.db);
  const { createArticle } = await editor<{ createArticle: { id: string } }>(
    'mutation { createArticle(input: { slug: "sitemap-fresh", title: "Fresh news", language: "pt-BR", body: ["Texto."] }) { id } }',
  );
  await editor('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: createArticle.id });
  await editor('mutation { createArticle(input: { slug: "sitemap-draft", title: "Draft", language: "en" }) { id } }');
  const [{ id: referenceId }] = await gw.sql<{ id: number }>('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
  await editor('mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { id } }', {
    input: { originalId: globalId('Article', referenceId), language: 'es', slug: 'sitemap-reference-es', title: 'La historia', body: ['Hola.'] },
  });
});

afterAll(() => gw.stop());

it('has an index naming every shard with its lastmod, the news sitemap, and robots.txt naming the index', async () => {
  const index = await xml(`${BASE}/sitemap.xml`);
  expect(index.sitemapindex['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  const locs = index.sitemapindex.sitemap.map((s: any) => s.loc);
  expect(locs).toEqual([`${BASE}/sitemaps/articles-0.xml`, `${BASE}/sitemaps/news.xml`]);
  expect(new Date(index.sitemapindex.sitemap[0].lastmod).getTime()).not.toBeNaN();
  const robots = await (await fetch(`${gw.url}/robots.txt`)).text();
  expect(robots).toContain(`Sitemap: ${BASE}/sitemap.xml`);
});

it('lists each published article once with lastmod, its image, and hreflang alternates for its language versions', async () => {
  const urls = await urlsOfAllShards();
  const locs = urls.map((u) => u.loc);
  expect(new Set(locs).size).toBe(locs.length);
  expect(locs).toContain(`${BASE}/read/sitemap-fresh`);
  expect(locs).not.toContain(`${BASE}/read/sitemap-draft`);
  const published = await gw.sql<{ n: number }>("SELECT COUNT(*) AS n FROM article WHERE status = 'PUBLISHED'");
  expect(urls).toHaveLength(Number(published[0].n));
  for (const url of urls) expect(new Date(url.lastmod).getTime()).not.toBeNaN();

  const reference = urls.find((u) => u.loc === `${BASE}/read/${REFERENCE_SLUG}`);
  expect(reference['image:image'][0]['image:loc']).toBe('http://flickr.com/photos/selva/10071233/');
  const alternates = (u: any) => (u['xhtml:link'] ?? []).map((l: any) => [l['@hreflang'], l['@href']]).sort();
  const versions = [
    ['en', `${BASE}/read/${REFERENCE_SLUG}`],
    ['es', `${BASE}/read/sitemap-reference-es`],
  ];
  expect(alternates(reference)).toEqual(versions);
  expect(alternates(urls.find((u) => u.loc === `${BASE}/read/sitemap-reference-es`))).toEqual(versions);
  expect(alternates(urls.find((u) => u.loc === `${BASE}/read/sitemap-fresh`))).toEqual([]);
});

it('puts an article in the shard of its id, 50,000 ids to a shard, and answers 404 for a shard with none', async () => {
  await gw.sql(
    `INSERT INTO article (id, slug, kind, title, language, status, published_at, synthetic, created_at, updated_at)
     VALUES (50001, 'sitemap-second-shard', 'ARTICLE', 'Second shard', 'en', 'PUBLISHED', '2020-01-01 00:00:00', :no, '2020-01-01 00:00:00', '2020-01-02 00:00:00')`,
    { no: false },
  );
  const index = await xml(`${BASE}/sitemap.xml`);
  expect(index.sitemapindex.sitemap.map((s: any) => s.loc)).toContain(`${BASE}/sitemaps/articles-1.xml`);
  const second = await xml(`${BASE}/sitemaps/articles-1.xml`);
  expect(second.urlset.url).toEqual([{ loc: `${BASE}/read/sitemap-second-shard`, lastmod: '2020-01-02T00:00:00.000Z' }]);
  const first = await xml(`${BASE}/sitemaps/articles-0.xml`);
  expect(first.urlset.url.map((u: any) => u.loc)).not.toContain(`${BASE}/read/sitemap-second-shard`);
  expect((await fetch(`${gw.url}/sitemaps/articles-7.xml`)).status).toBe(404);
  expect((await fetch(`${gw.url}/sitemaps/articles-x.xml`)).status).toBe(404);
});

it('lists in the news sitemap what was published in the last two days, with publication, language, date and title', async () => {
  const news = await xml(`${BASE}/sitemaps/news.xml`);
  expect(news.urlset['@xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
  const locs = news.urlset.url.map((u: any) => u.loc);
  expect(locs).toContain(`${BASE}/read/sitemap-fresh`);
  expect(locs).not.toContain(`${BASE}/read/${REFERENCE_SLUG}`);
  const fresh = news.urlset.url.find((u: any) => u.loc === `${BASE}/read/sitemap-fresh`)['news:news'];
  expect(fresh['news:publication']).toEqual({ 'news:name': 'Policy Innovations', 'news:language': 'pt' });
  expect(Date.now() - new Date(fresh['news:publication_date']).getTime()).toBeLessThan(60_000);
  expect(fresh['news:title']).toBe('Fresh news');
});
