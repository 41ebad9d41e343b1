import { XMLParser, XMLValidator } from 'fast-xml-parser';
import http from 'node:http';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

// Feeds as a feed reader fetches them: parsed with a real XML parser (or as JSON), checked for
// each format's required elements, and polled with the conditional requests readers send.

let gw: TestGateway;
let keys: Keys;
const BASE = 'https://magazine.example';
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['item', 'entry', 'category', 'dc:creator', 'author'].includes(name) });

async function editor<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gw.raw<T>(query, variables, bearer(keys.editor));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

async function article(slug: string, fields: Record<string, unknown>, publish = true): Promise<string> {
  const { createArticle } = await editor<{ createArticle: { id: string } }>(
    'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }',
    { input: { slug, title: `Title of ${slug}`, language: 'en', body: ['Text.'], ...fields } },
  );
  if (publish) await editor('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: createArticle.id });
  return createArticle.id;
}

/**
 * A plain GET, as a feed reader sends it. Not fetch(): a fetch with If-None-Match adds
 * `Cache-Control: no-cache`, which asks every server for a full answer.
 */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${gw.url}${path}`, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const all = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') all.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers: all, body });
        });
      })
      .on('error', reject);
  });
}

async function xml(path: string) {
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(XMLValidator.validate(res.body)).toBe(true);
  return { ...res, doc: parser.parse(res.body) };
}

let authorId: string;

beforeAll(async () => {
  gw = await startGateway({ env: { PUBLIC_BASE_URL: `${BASE}/`, SITE_NAME: 'Policy Innovations', FEED_ENTRIES: '4' } });
  keys = await createKeys(gw.db);
  authorId = (await editor<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "fay-feed", name: "Fay Feed" }) { id } }')).createAuthor.id;
  await article('feed-science', { section: 'Science', summary: 'On <atoms> & "quarks".', authorIds: [authorId], licenseKey: 'cc-by-nc-2.0' });
  await article('feed-draft', { section: 'Science', authorIds: [authorId] }, false);
  const culture = await article('feed-culture', { section: 'Culture' });
  await editor('mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { id } }', {
    input: { originalId: culture, language: 'pt-BR', slug: 'feed-culture-pt', title: 'Cultura', body: ['Texto.'] },
  });
  await article('feed-portuguese', { language: 'pt', section: 'Culture' });
});

afterAll(() => gw.stop());

describe('RSS 2.0', () => {
  it('has the channel and item elements the spec requires, with creators, license and the image credit', async () => {
    const { doc, headers } = await xml('/feeds/articles.rss');
    expect(headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const channel = doc.rss.channel;
    expect(doc.rss['@version']).toBe('2.0');
    expect(channel.title).toBe('Policy Innovations');
    expect(channel.link).toBe(`${BASE}/`);
    expect(channel.description).toEqual(expect.any(String));
    expect(channel['atom:link']['@href']).toBe(`${BASE}/feeds/articles.rss`);
    expect(channel.item).toHaveLength(4);
    for (const item of channel.item) {
      expect(item.title).toEqual(expect.any(String));
      expect(item.link).toMatch(new RegExp(`^${BASE}/read/`));
      expect(new Date(item.pubDate).getTime()).not.toBeNaN();
    }
    const science = channel.item.find((i: any) => i.link === `${BASE}/read/feed-science`);
    expect(science.description).toBe('On <atoms> & "quarks".');
    expect(science['dc:creator'].map((c: any) => c['#text'])).toEqual(['Fay Feed']);
    expect(science['creativeCommons:license']['#text']).toMatch(/^https?:\/\/creativecommons\.org\/licenses\/by-nc\/2\.0/);
    expect(science.category.map((c: any) => (typeof c === 'string' ? c : c['#text']))).toContain('Science');
    expect(channel.item.map((i: any) => i.link)).not.toContain(`${BASE}/read/feed-draft`);
  });

  it('carries the reference article hero image with its credit, and no invented author', async () => {
    const { doc } = await xml('/feeds/sections/Innovations.rss');
    const [item] = doc.rss.channel.item;
    expect(item.link).toBe(`${BASE}/read/${REFERENCE_SLUG}`);
    expect(item['media:content']['@medium']).toBe('image');
    expect(item['media:content']['media:credit']).toContain('Eden Politte');
    expect(item['dc:creator']).toBeUndefined();
  });
});

describe('Atom 1.0', () => {
  it('has id, title, updated and an author for the feed, and id, title, link, updated and rights per entry', async () => {
    const { doc, headers } = await xml('/feeds/articles.atom');
    expect(headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = doc.feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${BASE}/feeds/articles.atom`);
    expect(feed.title).toBe('Policy Innovations');
    expect(new Date(feed.updated).getTime()).not.toBeNaN();
    expect(feed.author[0].name).toBe('Policy Innovations');
    for (const entry of feed.entry) {
      expect(entry.id).toEqual(expect.any(String));
      expect(entry.title['#text']).toEqual(expect.any(String));
      expect(new Date(entry.updated).getTime()).not.toBeNaN();
      expect(new Date(entry.published).getTime()).not.toBeNaN();
    }
    const science = feed.entry.find((e: any) => e.id === `${BASE}/read/feed-science`);
    expect(science.author).toEqual([{ name: 'Fay Feed' }]);
    expect(science.rights).toMatch(/^Text: .*creativecommons\.org\/licenses\/by-nc\/2\.0/);
  });

  it('lists one author’s published articles, and answers 404 for an author there is not', async () => {
    const { doc } = await xml('/feeds/authors/fay-feed.atom');
    expect(doc.feed.title).toBe('Policy Innovations: Fay Feed');
    expect(doc.feed.entry.map((e: any) => e.id)).toEqual([`${BASE}/read/feed-science`]);
    expect((await get('/feeds/authors/nobody-at-all.atom')).status).toBe(404);
  });
});

describe('JSON Feed 1.1', () => {
  it('has version, title and items with id, and lists a language’s articles, translations included', async () => {
    const res = await get('/feeds/languages/pt.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(res.body);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toEqual(expect.any(String));
    expect(feed.feed_url).toBe(`${BASE}/feeds/languages/pt.json`);
    expect(feed.items.map((i: any) => i.url).sort()).toEqual([`${BASE}/read/feed-culture-pt`, `${BASE}/read/feed-portuguese`]);
    for (const item of feed.items) {
      expect(item.id).toEqual(expect.any(String));
      expect(item.content_text ?? item.content_html).toEqual(expect.any(String));
      expect(item.language).toMatch(/^pt/);
    }
  });
});

it('keeps the newest entries, newest first, up to FEED_ENTRIES', async () => {
  const { doc } = await xml('/feeds/articles.rss');
  const dates = doc.rss.channel.item.map((i: any) => new Date(i.pubDate).getTime());
  expect(dates).toEqual([...dates].sort((a, b) => b - a));
  expect(dates).toHaveLength(4);
});

it('answers a reader polling with If-None-Match or If-Modified-Since with 304, and a changed feed with 200', async () => {
  const first = await get('/feeds/sections/Science.rss');
  expect(first.headers.get('cache-control')).toBe('public, max-age=60');
  const etag = first.headers.get('etag')!;
  const lastModified = first.headers.get('last-modified')!;
  expect(etag).toBeTruthy();
  expect(new Date(lastModified).getTime()).not.toBeNaN();
  expect((await get('/feeds/sections/Science.rss', { 'if-none-match': etag })).status).toBe(304);
  expect((await get('/feeds/sections/Science.rss', { 'if-modified-since': lastModified })).status).toBe(304);

  await new Promise((resolve) => setTimeout(resolve, 1100));
  await article('feed-science-2', { section: 'Science' });
  const changed = await get('/feeds/sections/Science.rss', { 'if-none-match': etag, 'if-modified-since': lastModified });
  expect(changed.status).toBe(200);
  expect(changed.body).toContain('feed-science-2');
});

it('is advertised by the reader page with rel="alternate" links', async () => {
  const page = await get(`/read/${REFERENCE_SLUG}`);
  for (const [type, href] of [
    ['application/rss+xml', '/feeds/articles.rss'],
    ['application/atom+xml', '/feeds/articles.atom'],
    ['application/feed+json', '/feeds/articles.json'],
  ]) {
    expect(page.body).toContain(`<link rel="alternate" type="${type}"`);
    expect(page.body).toContain(`href="${href}"`);
  }
});

it('without PUBLIC_BASE_URL, links to the origin the request came to', async () => {
  const plain = await startGateway();
  try {
    const res = await fetch(`${plain.url}/feeds/articles.json`);
    const feed = (await res.json()) as { home_page_url: string; items: Array<{ url: string }> };
    expect(feed.home_page_url).toBe(`${plain.url}/`);
    expect(feed.items[0].url.startsWith(`${plain.url}/read/`)).toBe(true);
  } finally {
    await plain.stop();
  }
});
