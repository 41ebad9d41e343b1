import { ReferencePageDocument } from '../client/generated/graphql';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE, REFERENCE_SLUG, SEED } from './helpers/seed-content';

describe('the reference article page in one request', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.stop());

  it('returns exactly the facts of the archive page', async () => {
    const res = await gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language: 'ja' });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const article = res.data!.article!;
    const image = SEED.images[0];
    const imageLicense = SEED.licenses.find((l: { key: string }) => l.key === image.license);

    expect(article).toMatchObject({
      slug: REFERENCE_SLUG,
      kind: 'ARTICLE',
      title: 'The Global Links Initiative Story',
      displayTitle: 'Policy Innovations Digital Magazine (2006-2016): Innovations: The Global Links Initiative Story',
      section: 'Innovations',
      publication: { key: 'policy-innovations', name: 'Policy Innovations Digital Magazine (2006-2016)' },
      language: 'en',
      publishedAt: '2008-03-11T00:00:00.000Z',
      authors: [],
      summary: null,
      translations: [],
    });
    expect(article.body).toEqual(REFERENCE.body);
    expect(article.body).toHaveLength(8);
    expect(article.heroImage).toEqual({
      title: 'Chain link',
      creator: 'Eden Politte',
      sourceUrl: 'http://flickr.com/photos/selva/10071233/',
      license: { key: 'cc-by-nc-2.0', shortName: 'CC BY-NC 2.0', url: 'http://creativecommons.org/licenses/by-nc/2.0/deed.en' },
      credit: { text: image.creditText, html: image.creditHtml },
    });
    expect(imageLicense.url).toBe(article.heroImage!.license!.url);
    expect(article.license).toEqual({ key: 'cc-unspecified', name: 'Creative Commons License', shortName: 'CC', url: null });
    expect(article.related.map((r) => [r.slug, r.publishedAt?.slice(0, 10), r.kind, r.title, r.summary])).toEqual(
      REFERENCE.related.map((slug: string) => {
        const r = SEED.articles.find((a: { slug: string }) => a.slug === slug);
        return [slug, r.publishedOn, 'ARTICLE', r.title, r.summary];
      }),
    );
    expect(article.translationStatus).toEqual({ language: 'ja', state: 'NOT_TRANSLATED', requestCount: 0, translation: null });
  });

  it('reports ORIGINAL to readers of the article language, whatever their region', async () => {
    for (const language of ['en', 'en-US', 'en-GB']) {
      const res = await gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language });
      expect(res.data!.article!.translationStatus.state).toBe('ORIGINAL');
    }
  });

  it('answers null for an unknown slug and BAD_USER_INPUT for a malformed language', async () => {
    const missing = await gw.request(ReferencePageDocument, { slug: 'no-such-article', language: 'ja' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.article).toBeNull();

    const bad = await gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language: 'not a language!' });
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toMatch(/BCP 47/);
  });

  it('escapes credit HTML built from hostile field values and links only web URLs', async () => {
    await gw.db.query(
      `UPDATE image SET title = '<script>alert(1)</script>', creator = 'A "B" & C', source_url = 'javascript:alert(1)' WHERE key = 'chain-link'`,
    );
    const res = await gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language: 'ja' });
    const html = res.data!.article!.heroImage!.credit.html;
    expect(html).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;, by A &quot;B&quot; &amp; C (<a href="http://creativecommons.org/licenses/by-nc/2.0/deed.en">CC</a>).',
    );
  });
});
