import { spawn } from 'node:child_process';
import path from 'node:path';
import { print } from 'graphql';
import { HomeListDocument, ReferencePageDocument } from '../client/generated/graphql';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { freePort } from './helpers/ports';
import { startReceiver } from './helpers/receiver';
import { REFERENCE_SLUG } from './helpers/seed-content';

// Cache keys as a CDN sees them: on every cacheable answer, from the rows it was built from; on
// every change event, naming the answers it makes stale; and a purger acting on them.

let gw: TestGateway;
let keys: Keys;
let referenceId: number;

async function keysOf(path: string, init: RequestInit = {}): Promise<{ surrogate: string[]; cacheTag: string[]; status: number }> {
  const res = await fetch(`${gw.url}${path}`, init);
  await res.text();
  return { surrogate: (res.headers.get('surrogate-key') ?? '').split(' ').filter(Boolean), cacheTag: (res.headers.get('cache-tag') ?? '').split(',').filter(Boolean), status: res.status };
}

function graphqlPost(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  return keysOf('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
}

async function editor<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gw.raw<T>(query, variables, bearer(keys.editor));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

beforeAll(async () => {
  gw = await startGateway({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50' } });
  keys = await createKeys(gw.db);
  [{ id: referenceId }] = await gw.sql<{ id: number }>('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
});

afterAll(() => gw.stop());

it('names on the reference page answer the article, its image, licenses, publication and translation state, the same when served from the cache', async () => {
  const [row] = await gw.sql<{ image: number; license: number; publication: number; image_license: number }>(
    'SELECT a.hero_image_id AS image, a.license_id AS license, a.publication_id AS publication, i.license_id AS image_license FROM article a JOIN image i ON i.id = a.hero_image_id WHERE a.id = :id',
    { id: referenceId },
  );
  const page = () => graphqlPost(print(ReferencePageDocument), { slug: REFERENCE_SLUG, language: 'ja' });
  const first = await page();
  const expected = [
    `article:${referenceId}`,
    `image:${row.image}`,
    `license:${row.license}`,
    `license:${row.image_license}`,
    `publication:${row.publication}`,
    `translations:${referenceId}`,
  ];
  expect(first.surrogate).toEqual(expect.arrayContaining(expected));
  // The related articles it shows are among what it was built from.
  const related = await gw.sql<{ related_id: number }>('SELECT related_id FROM article_related WHERE article_id = :id', { id: referenceId });
  expect(first.surrogate).toEqual(expect.arrayContaining(related.map((r) => `article:${r.related_id}`)));
  expect(first.cacheTag.sort()).toEqual([...first.surrogate].sort());
  const cached = await page();
  expect(cached.surrogate.sort()).toEqual([...first.surrogate].sort());
});

it('names lists as list:articles with each article shown, and gives editors and mutations none', async () => {
  const home = await graphqlPost(print(HomeListDocument), { first: 5, language: 'ja' });
  expect(home.surrogate).toContain('list:articles');
  const published = await gw.sql<{ id: number }>("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC LIMIT 5");
  expect(home.surrogate).toEqual(expect.arrayContaining(published.map((a) => `article:${a.id}`)));
  expect((await graphqlPost(print(HomeListDocument), { first: 5, language: 'ja' }, bearer(keys.editor))).surrogate).toEqual([]);
  expect((await graphqlPost('{ licenses { key } }', {})).surrogate).toEqual(expect.arrayContaining(['list:licenses']));
});

it('puts keys on the reader page and feeds from what they read, and sitemaps under one key', async () => {
  expect((await keysOf(`/read/${REFERENCE_SLUG}`, { headers: { 'accept-language': 'ja' } })).surrogate).toEqual(expect.arrayContaining([`article:${referenceId}`, `translations:${referenceId}`]));
  expect((await keysOf('/feeds/articles.rss')).surrogate).toEqual(expect.arrayContaining(['list:articles', `article:${referenceId}`]));
  expect((await keysOf('/sitemap.xml')).surrogate).toEqual(['sitemaps']);
});

it('names in each change event the keys of the answers it makes stale, and the purger example purges exactly those', async () => {
  const cdn = await startReceiver();
  const port = await freePort();
  const hook = await editor<{ createWebhook: { secret: string } }>('mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }', {
    input: { url: `http://127.0.0.1:${port}/`, events: ['ARTICLE_PUBLISHED', 'ARTICLE_UPDATED'] },
  });
  const purger = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'purge-cdn.js')], {
    env: { ...process.env, WEBHOOK_SECRET: hook.createWebhook.secret, PORT: String(port), PURGE: 'cloudflare', PURGE_API: cdn.url, CLOUDFLARE_ZONE_ID: 'zone', CLOUDFLARE_API_TOKEN: 'token' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise((resolve) => purger.stderr!.once('data', resolve));
  try {
    const author = await editor<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "tagged-author", name: "Tess Tag" }) { id } }');
    const created = await editor<{ createArticle: { id: string } }>(
      'mutation($authors: [ID!]) { createArticle(input: { slug: "tagged", title: "Tagged", language: "en", authorIds: $authors }) { id } }',
      { authors: [author.createAuthor.id] },
    );
    await editor('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: created.createArticle.id });
    const [{ id }] = await gw.sql<{ id: number }>("SELECT id FROM article WHERE slug = 'tagged'");
    const [{ id: authorRow }] = await gw.sql<{ id: number }>("SELECT id FROM author WHERE slug = 'tagged-author'");

    // What a CDN holds for the new article's page, and for its author.
    const page = await graphqlPost(print(ReferencePageDocument), { slug: 'tagged', language: 'en' });
    const authorAnswer = await graphqlPost('query($slug: String!) { author(slug: $slug) { name } }', { slug: 'tagged-author' });
    expect(authorAnswer.surrogate).toEqual([`author:${authorRow}`]);

    await editor('mutation($id: ID!) { updateAuthor(id: $id, input: { name: "Tess Tagged" }) { name } }', { id: author.createAuthor.id });
    const purges = await cdn.waitFor(2);
    expect(purges.map((p) => p.json)).toEqual([
      { tags: [`article:${id}`, 'list:articles', 'sitemaps'] },
      { tags: [`article:${id}`, 'sitemaps', `author:${authorRow}`] },
    ]);
    expect(purges[0].headers.authorization).toBe('Bearer token');
    // Each change reaches what showed it: the publication the page, the author's edit the author's answer.
    expect(page.surrogate).toContain(`article:${id}`);
    expect(purges[1].json.tags).toEqual(expect.arrayContaining(authorAnswer.surrogate));

    const log = await gw.raw<{ events: { edges: Array<{ node: { type: string; cacheKeys: string[] } }> } }>('{ events(first: 100) { edges { node { type cacheKeys } } } }');
    expect(log.data!.events.edges.map((e) => e.node).slice(-2)).toEqual([
      { type: 'ARTICLE_PUBLISHED', cacheKeys: [`article:${id}`, 'list:articles', 'sitemaps'] },
      { type: 'ARTICLE_UPDATED', cacheKeys: [`article:${id}`, 'sitemaps', `author:${authorRow}`] },
    ]);
  } finally {
    purger.kill();
    await cdn.close();
  }
});
