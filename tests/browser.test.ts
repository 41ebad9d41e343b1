/// <reference lib="dom" />
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, chromiumAvailable, launch, offlinePage, OfflinePage, screenshot } from './helpers/browser';
import { createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { publishArticle } from './helpers/remote';
import { REFERENCE, REFERENCE_SLUG, SEED } from './helpers/seed-content';
import { waitForStreams } from './helpers/ws';

const describeWithChromium = chromiumAvailable() ? describe : describe.skip;

/** The text of GraphiQL's response pane (Monaco draws spaces as no-break spaces), once it holds `expected`. */
async function responseContaining(page: Page, expected: string, ms = 15_000): Promise<string> {
  await page.waitForFunction(
    (wanted) => (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\u00a0/g, ' ').includes(wanted),
    expected,
    { timeout: ms },
  );
  return page.evaluate(() => (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\u00a0/g, ' '));
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab', { hasText: name }).first().click();
  await page.waitForFunction((op) => document.querySelector('.graphiql-query-editor')?.textContent?.includes(op), name);
}

describeWithChromium('in headless Chromium, with every other host unreachable (needs Chromium)', () => {
  let gw: TestGateway;
  let keys: Keys;
  let browser: Browser;
  const pages: OfflinePage[] = [];

  async function open(path: string, options: Parameters<typeof offlinePage>[2] = {}): Promise<OfflinePage> {
    const p = await offlinePage(browser, gw.url, options);
    pages.push(p);
    await p.page.goto(`${gw.url}${path}`);
    return p;
  }

  beforeAll(async () => {
    gw = await startGateway();
    keys = await createKeys(gw.db);
    browser = await launch();
  });

  afterEach(async () => {
    for (const p of pages.splice(0)) {
      expect(p.outside).toEqual([]);
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });

  afterAll(async () => {
    await browser.close();
    await gw.stop();
  });

  describe('the playground', () => {
    it('opens with the example operations, runs the reference page query and shows its title', async () => {
      const { page } = await open('/playground');
      for (const name of ['ReferencePage', 'HomeList', 'Search', 'ArticlePublished', 'CreateArticle']) {
        await page.locator('.graphiql-tab', { hasText: name }).first().waitFor();
      }
      await openTab(page, 'ReferencePage');
      await page.locator('.graphiql-execute-button').click();
      const response = await responseContaining(page, REFERENCE.title);
      expect(response).toContain(REFERENCE_SLUG);
      await screenshot(page, 'playground-reference-page');
    });

    it('is what a browser gets at /graphql, and shows the schema docs', async () => {
      const { page } = await open('/graphql');
      await page.locator('.graphiql-tab').first().waitFor();
      await page.getByRole('button', { name: /documentation explorer/i }).click();
      await page.getByText('Root Types').waitFor();
      await page.locator('.graphiql-doc-explorer a', { hasText: 'Subscription' }).first().click();
      await page.locator('.graphiql-doc-explorer', { hasText: 'articlePublished' }).waitFor();
      await screenshot(page, 'playground-docs');
    });

    it('runs a subscription and shows an event published through the API', async () => {
      const { page } = await open('/playground');
      await openTab(page, 'ArticlePublished');
      await page.locator('.graphiql-execute-button').click();
      await waitForStreams(gw.url, 1, 15_000);
      const slug = await publishArticle(gw.url, keys.editor, 'seen-in-the-playground');
      await responseContaining(page, slug);
      await screenshot(page, 'playground-subscription');
    });
  });

  describe('the reader page', () => {
    it('gets the reference article drawn by the server, with every element of the archive page, and asks for nothing more', async () => {
      const requests: string[] = [];
      const p = await offlinePage(browser, gw.url, { locale: 'ja-JP' });
      pages.push(p);
      const { page } = p;
      page.on('request', (r) => r.url().endsWith('/graphql') && requests.push(r.method()));
      await page.goto(`${gw.url}/read/${REFERENCE_SLUG}`);
      await page.locator('main[aria-busy="false"]').waitFor();

      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(REFERENCE.displayTitle);
      expect(await page.locator('.section').textContent()).toBe(REFERENCE.section);
      expect(await page.locator('header time').textContent()).toBe('Mar 11, 2008');
      const image = SEED.images.find((i: { key: string }) => i.key === REFERENCE.heroImage);
      expect(await page.locator('figcaption').textContent()).toBe(image.creditText);
      expect(await page.locator('figcaption').innerHTML()).toBe(image.creditHtml);
      const paragraphs = await page.locator('.body p').allTextContents();
      expect(paragraphs).toEqual(REFERENCE.body);
      expect(await page.locator('.license').textContent()).toBe('This article is licensed under a Creative Commons License.');

      expect(await page.getByRole('heading', { name: 'You may also like' }).count()).toBe(1);
      const related = await page.locator('.related li').evaluateAll((items) =>
        items.map((li) => ({
          date: li.querySelector('time')?.textContent,
          kind: li.querySelector('.kind')?.textContent,
          title: li.querySelector('h3')?.textContent,
          href: li.querySelector('h3 a')?.getAttribute('href'),
          summary: li.querySelector('p:last-child')?.textContent,
        })),
      );
      const expected = REFERENCE.related.map((slug: string) => SEED.articles.find((a: { slug: string }) => a.slug === slug));
      expect(related).toEqual(
        expected.map((a: { slug: string; title: string; summary: string; publishedOn: string }) => ({
          date: new Date(`${a.publishedOn}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).toUpperCase(),
          kind: 'Article',
          title: a.title,
          href: `/read/${a.slug}`,
          summary: a.summary,
        })),
      );
      expect(related.map((r) => r.date)).toEqual(['NOV 21, 2024', 'NOV 13, 2024', 'OCT 24, 2024']);

      expect(await page.getByRole('heading', { name: 'Not translated' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Request Translation' }).count()).toBe(1);
      expect(requests).toEqual([]);
      await screenshot(page, 'reader-reference-page');
    });

    it('"Request Translation" records the request: the box changes and the count in the database goes up by one', async () => {
      const count = async () => Number((await gw.db.query("SELECT COALESCE(SUM(request_count), 0) AS n FROM translation_request WHERE language = 'ja'"))[0].n);
      const before = await count();
      const { page } = await open(`/read/${REFERENCE_SLUG}`, { locale: 'ja-JP' });
      await page.getByRole('button', { name: 'Request Translation' }).click();
      await page.getByRole('heading', { name: 'Translation requested' }).waitFor();
      expect(await page.locator('.request-count').textContent()).toBe(`${before + 1} ${before + 1 === 1 ? 'reader has' : 'readers have'} asked for it.`);
      expect(await page.getByRole('status').textContent()).toBe('Thank you: your request was counted.');
      expect(await count()).toBe(before + 1);
      await screenshot(page, 'reader-translation-requested');
    });

    it('works without JavaScript: the article, its search-engine data, and a form that requests a translation', async () => {
      const count = async () => Number((await gw.db.query("SELECT COALESCE(SUM(request_count), 0) AS n FROM translation_request WHERE language = 'de'"))[0].n);
      const before = await count();
      const { page } = await open(`/read/${REFERENCE_SLUG}`, { locale: 'de-DE', javaScriptEnabled: false });
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(REFERENCE.displayTitle);
      expect(await page.locator('.body p').allTextContents()).toEqual(REFERENCE.body);
      expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${gw.url}/read/${REFERENCE_SLUG}`);
      expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe(REFERENCE.title);
      const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) as string);
      expect(jsonLd).toMatchObject({ '@type': 'NewsArticle', headline: REFERENCE.title, inLanguage: 'en' });
      expect(jsonLd).not.toHaveProperty('author');

      await page.getByRole('button', { name: 'Request Translation' }).click();
      await page.getByRole('heading', { name: 'Translation requested' }).waitFor();
      expect(page.url()).toBe(`${gw.url}/read/${REFERENCE_SLUG}?translation=counted`);
      expect(await page.locator('.request-count').textContent()).toBe(`${before + 1} ${before + 1 === 1 ? 'reader has' : 'readers have'} asked for it.`);
      expect(await page.getByRole('status').textContent()).toBe('Thank you: your request was counted.');
      expect(await count()).toBe(before + 1);

      // The same reader (its cookie) sending the form again is counted once.
      const again = await page.request.post(`${gw.url}/read/${REFERENCE_SLUG}/translation-requests`, {
        form: { articleId: Buffer.from(`Article:${(await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG }))[0].id}`).toString('base64url'), language: 'de-DE' },
      });
      expect(again.url()).toBe(`${gw.url}/read/${REFERENCE_SLUG}?translation=already`);
      expect(await count()).toBe(before + 1);
      await screenshot(page, 'reader-without-javascript');
    });

    it('links to the translation once one is published', async () => {
      const [{ id }] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
      const original = Buffer.from(`Article:${id}`).toString('base64url');
      for (const status of ['ACCEPTED', 'IN_PROGRESS']) {
        await gw.raw(
          'mutation($id: ID!, $status: TranslationRequestStatus!) { setTranslationRequestStatus(id: $id, status: $status) { status } }',
          { id: Buffer.from(`TranslationRequest:${(await gw.db.query("SELECT id FROM translation_request WHERE language = 'ja'"))[0].id}`).toString('base64url'), status },
          { authorization: `Bearer ${keys.editor}` },
        );
      }
      const published = await gw.raw(
        'mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { slug } }',
        { input: { originalId: original, language: 'ja', slug: 'global-links-ja', title: 'グローバル・リンクス', body: ['こんにちは。'] } },
        { authorization: `Bearer ${keys.editor}` },
      );
      expect(published.errors).toBeUndefined();
      const { page } = await open(`/read/${REFERENCE_SLUG}`, { locale: 'ja-JP' });
      await page.getByRole('heading', { name: 'Translation available' }).waitFor();
      expect(await page.getByRole('link', { name: 'Read it in Japanese' }).getAttribute('href')).toBe('/read/global-links-ja');
    });

    it('fits a phone-sized screen', async () => {
      const { page } = await open(`/read/${REFERENCE_SLUG}`, { viewport: { width: 375, height: 812 } });
      await page.locator('main[aria-busy="false"]').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const box = page.locator('.translation');
      expect((await box.boundingBox())!.width).toBeLessThanOrEqual(375);
      await screenshot(page, 'reader-phone');
    });

    it('lists the newest articles at /, each linking to its page', async () => {
      const { page } = await open('/');
      await page.getByRole('heading', { name: 'Newest articles' }).waitFor();
      const links = await page.locator('.articles h2 a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      expect(links).toContainEqual([REFERENCE.title, `/read/${REFERENCE_SLUG}`]);
      await screenshot(page, 'reader-home');
    });
  });

  it('leaves a screenshot of each of the above in test-artifacts/browser', () => {
    const saved = fs.readdirSync(ARTIFACTS);
    for (const name of ['playground-reference-page', 'playground-docs', 'playground-subscription', 'reader-reference-page', 'reader-translation-requested', 'reader-without-javascript', 'reader-phone', 'reader-home']) {
      expect(saved).toContain(`${name}.png`);
    }
  });
});
