import http from 'node:http';
import { bearer, createKeys, globalId, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE, REFERENCE_SLUG } from './helpers/seed-content';

// Article.seo as a search engine or a link preview would read it: nothing invented where the
// source is silent, licenses and credits from the content, language versions linked both ways.

const BASE = 'https://magazine.example';
const SEO = `query($slug: String!) { article(slug: $slug) { seo {
  canonicalUrl title description
  openGraph { type title description url siteName locale image imageAlt publishedTime modifiedTime authors section }
  jsonLd
} } }`;

interface Seo {
  canonicalUrl: string;
  title: string;
  description: string | null;
  openGraph: Record<string, any>;
  jsonLd: Record<string, any>;
}

let gw: TestGateway;
let keys: Keys;

async function seoOf(slug: string, target = gw): Promise<Seo> {
  const res = await target.raw<{ article: { seo: Seo } }>(SEO, { slug });
  expect(res.errors).toBeUndefined();
  return res.data!.article.seo;
}

async function editor<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gw.raw<T>(query, variables, bearer(keys.editor));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

beforeAll(async () => {
  gw = await startGateway({ env: { PUBLIC_BASE_URL: BASE, SITE_NAME: 'The Archive' } });
  keys = await createKeys(gw.db);
  const [{ id }] = await gw.sql<{ id: number }>('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
  await editor('mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { id } }', {
    input: { originalId: globalId('Article', id), language: 'pt-BR', slug: 'seo-reference-pt', title: 'A história', body: ['Olá.'] },
  });
  const author = await editor<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "seo-author", name: "Sam Seo" }) { id } }');
  const created = await editor<{ createArticle: { id: string } }>(
    'mutation($authors: [ID!]) { createArticle(input: { slug: "seo-bylined", title: "Bylined", summary: "A short summary.", language: "en", authorIds: $authors, licenseKey: "cc-by-nc-2.0" }) { id } }',
    { authors: [author.createAuthor.id] },
  );
  await editor('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: created.createArticle.id });
});

afterAll(() => gw.stop());

it('describes the reference article as a NewsArticle with its image credit and licenses, and no invented author', async () => {
  const seo = await seoOf(REFERENCE_SLUG);
  const url = `${BASE}/read/${REFERENCE_SLUG}`;
  expect(seo.canonicalUrl).toBe(url);
  expect(seo.title).toBe(REFERENCE.title);
  const ld = seo.jsonLd;
  expect(ld).toMatchObject({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': url,
    url,
    headline: REFERENCE.title,
    inLanguage: 'en',
    isPartOf: { '@type': 'Periodical', name: 'Policy Innovations Digital Magazine (2006-2016)' },
    datePublished: '2008-03-11T00:00:00.000Z',
    // The article's license names no version: its name, never a guessed URL.
    license: { '@type': 'CreativeWork', name: 'Creative Commons License' },
    image: {
      '@type': 'ImageObject',
      name: 'Chain link',
      url: 'http://flickr.com/photos/selva/10071233/',
      creator: { '@type': 'Person', name: 'Eden Politte' },
      creditText: 'Chain link, by Eden Politte (CC).',
      license: 'http://creativecommons.org/licenses/by-nc/2.0/deed.en',
    },
  });
  expect(ld.image.copyrightNotice).toContain('Eden Politte');
  expect(new Date(ld.dateModified).getTime()).not.toBeNaN();
  expect(ld).not.toHaveProperty('author');
  expect(seo.openGraph).toMatchObject({ type: 'article', url, siteName: 'The Archive', locale: 'en', image: 'http://flickr.com/photos/selva/10071233/', authors: [] });
});

it('links the original and its translations both ways', async () => {
  const original = await seoOf(REFERENCE_SLUG);
  const translation = await seoOf('seo-reference-pt');
  expect(original.jsonLd.workTranslation).toEqual([{ '@type': 'NewsArticle', '@id': `${BASE}/read/seo-reference-pt`, inLanguage: 'pt' }]);
  expect(original.jsonLd).not.toHaveProperty('translationOfWork');
  expect(translation.jsonLd.translationOfWork).toEqual({ '@type': 'NewsArticle', '@id': `${BASE}/read/${REFERENCE_SLUG}`, inLanguage: 'en' });
  expect(translation.openGraph.locale).toBe('pt');
});

it('credits the authors an article has, with its summary and its license URL', async () => {
  const seo = await seoOf('seo-bylined');
  expect(seo.description).toBe('A short summary.');
  expect(seo.jsonLd.author).toEqual([{ '@type': 'Person', name: 'Sam Seo' }]);
  expect(seo.jsonLd.license).toMatch(/^https?:\/\/creativecommons\.org\/licenses\/by-nc\/2\.0/);
  expect(seo.openGraph.authors).toEqual(['Sam Seo']);
  expect(seo.jsonLd).not.toHaveProperty('image');
});

/** A POST to /graphql with headers fetch would not let a client set (Host). */
function postWithHeaders(url: string, headers: Record<string, string>, body: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('without PUBLIC_BASE_URL', () => {
  const body = JSON.stringify({ query: SEO, variables: { slug: REFERENCE_SLUG } });

  it('links to the host asked for, believes X-Forwarded-* only behind TRUST_PROXY, and never echoes a Host that is no host name', async () => {
    const direct = await startGateway();
    const proxied = await startGateway({ env: { TRUST_PROXY: '1' } });
    try {
      const forwarded = { host: 'internal:4000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'magazine.example' };
      const viaProxy = await postWithHeaders(proxied.url, forwarded, body);
      expect(viaProxy.data.article.seo.canonicalUrl).toBe(`https://magazine.example/read/${REFERENCE_SLUG}`);
      const ignored = await postWithHeaders(direct.url, forwarded, body);
      expect(ignored.data.article.seo.canonicalUrl).toBe(`http://internal:4000/read/${REFERENCE_SLUG}`);
      const forged = await postWithHeaders(direct.url, { host: 'evil.example"><script>' }, body);
      expect(forged.data.article.seo.canonicalUrl).toBe(`http://localhost/read/${REFERENCE_SLUG}`);
    } finally {
      await Promise.all([direct.stop(), proxied.stop()]);
    }
  });
});
