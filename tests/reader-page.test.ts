import escapeHtml from 'escape-html';
import { startGateway, TestGateway } from './helpers/gateway';
import { globalId } from './helpers/editors';
import { REFERENCE, REFERENCE_SLUG, SEED } from './helpers/seed-content';

// The reader page as a crawler, a link preview or a reader without scripts gets it: plain HTTP,
// no browser. (The browser tests check the same page drawn and used in Chromium.)

let gw: TestGateway;
const BASE = 'https://magazine.example';

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}${path}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

function meta(html: string, property: string): string | undefined {
  return new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)">`).exec(html)?.[1];
}

beforeAll(async () => {
  gw = await startGateway({ env: { PUBLIC_BASE_URL: BASE, SITE_NAME: 'The Archive' } });
});

afterAll(() => gw.stop());

it('answers /read/:slug with the article itself, its head carrying the canonical link, Open Graph, Twitter card and JSON-LD', async () => {
  const { status, headers, html } = await page(`/read/${REFERENCE_SLUG}`, { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' });
  expect(status).toBe(200);
  expect(headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(headers.get('vary')).toContain('Accept-Language');
  expect(html).toContain(`<title>${REFERENCE.displayTitle} | Policy Innovations Digital Magazine (2006-2016)</title>`);
  expect(html).toContain(`<link rel="canonical" href="${BASE}/read/${REFERENCE_SLUG}">`);
  expect(meta(html, 'og:type')).toBe('article');
  expect(meta(html, 'og:title')).toBe(REFERENCE.title);
  expect(meta(html, 'og:site_name')).toBe('The Archive');
  expect(meta(html, 'og:image')).toBe('http://flickr.com/photos/selva/10071233/');
  expect(meta(html, 'twitter:card')).toBe('summary');
  const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]);
  expect(jsonLd).toMatchObject({ '@type': 'NewsArticle', headline: REFERENCE.title, url: `${BASE}/read/${REFERENCE_SLUG}` });
  expect(html).toContain('<link rel="alternate" type="application/rss+xml"');

  const image = SEED.images.find((i: { key: string }) => i.key === REFERENCE.heroImage);
  expect(html).toContain(`<h1>${REFERENCE.displayTitle}</h1>`);
  expect(html).toContain(`<figcaption class="credit">${image.creditHtml}</figcaption>`);
  for (const paragraph of REFERENCE.body) expect(html).toContain(`<p>${escapeHtml(paragraph)}</p>`);
  expect(html).toContain('<p class="license">This article is licensed under a Creative Commons License.</p>');
  expect(html).toContain('<h2 id="related-heading">You may also like</h2>');
  for (const slug of REFERENCE.related) expect(html).toContain(`<a href="/read/${slug}">`);
  // The box for a Japanese reader: a form that works without scripts.
  expect(html).toContain('<h2 id="translation-heading">Not translated</h2>');
  expect(html).toMatch(/<form class="request-translation" method="post" action="\/read\/[^"]+\/translation-requests">/);
  expect(html).toContain('<input type="hidden" name="language" value="ja-JP">');
});

it('sends the form without scripts: counts the reader once by a cookie, and comes back to the page saying so', async () => {
  const [{ id }] = await gw.sql<{ id: number }>('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
  const send = (cookie?: string) =>
    fetch(`${gw.url}/read/${REFERENCE_SLUG}/translation-requests`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
      body: new URLSearchParams({ articleId: globalId('Article', id), language: 'fr' }).toString(),
    });
  const first = await send();
  expect(first.status).toBe(303);
  expect(first.headers.get('location')).toBe(`/read/${REFERENCE_SLUG}?translation=counted`);
  const cookie = first.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^reader=[0-9a-f-]{36}; Max-Age=\d+; Path=\/; .*HttpOnly; SameSite=Lax/);
  const again = await send(cookie.split(';')[0]);
  expect(again.headers.get('location')).toBe(`/read/${REFERENCE_SLUG}?translation=already`);
  const [{ n }] = await gw.sql<{ n: number }>("SELECT request_count AS n FROM translation_request WHERE language = 'fr'");
  expect(Number(n)).toBe(1);

  const after = await page(`/read/${REFERENCE_SLUG}?translation=counted`, { 'accept-language': 'fr' });
  expect(after.html).toContain('<h2 id="translation-heading">Translation requested</h2>');
  expect(after.html).toContain('<p class="request-count">1 reader has asked for it.</p>');
  expect(after.html).toContain('role="status" aria-live="polite">Thank you: your request was counted.</p>');
});

it('tells a reader whose request was refused, and changes nothing', async () => {
  const res = await fetch(`${gw.url}/read/${REFERENCE_SLUG}/translation-requests`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'articleId=not-an-id&language=de',
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(`/read/${REFERENCE_SLUG}?translation=refused`);
  expect(await gw.count('translation_request')).toBe(1);
});

it('answers 404 with a page for an article there is not, and serves a favicon', async () => {
  const missing = await page('/read/no-such-article');
  expect(missing.status).toBe(404);
  expect(missing.html).toContain('No such article');
  const icon = await fetch(`${gw.url}/favicon.ico`);
  expect(icon.status).toBe(200);
  expect(icon.headers.get('content-type')).toContain('image/svg+xml');
});

it('escapes what editors wrote: a title with markup stays text', async () => {
  await gw.sql(`UPDATE article SET display_title = :title WHERE slug = :slug`, { title: '<script>alert(1)</script> & "quotes"', slug: REFERENCE_SLUG });
  const { html } = await page(`/read/${REFERENCE_SLUG}`);
  expect(html).not.toContain('<script>alert(1)</script>');
  expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</h1>');
});
