import { ReferencePageDocument } from '../client/generated/graphql';
import { startGateway, TestGateway } from './helpers/gateway';

describe('translationStatus and translations over published language versions', () => {
  let gw: TestGateway;
  let pair: { original: string; originalLanguage: string; translation: string; translationLanguage: string };
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 400 });
    const [row] = await gw.db.query(
      `SELECT o.slug AS original, o.language AS original_language, t.slug AS translation, t.language AS translation_language
         FROM article t JOIN article o ON o.id = t.translation_of_id
        WHERE t.status = 'PUBLISHED' AND o.status = 'PUBLISHED' AND o.language = 'en' LIMIT 1`,
    );
    pair = { original: row.original, originalLanguage: row.original_language, translation: row.translation, translationLanguage: row.translation_language };
  });
  afterAll(() => gw.stop());

  const page = async (slug: string, language: string) => (await gw.request(ReferencePageDocument, { slug, language })).data!.article!;

  it('links the original to its translation and back', async () => {
    const original = await page(pair.original, pair.translationLanguage);
    expect(original.translationStatus).toMatchObject({ state: 'AVAILABLE', translation: { slug: pair.translation, language: pair.translationLanguage } });
    expect(original.translations).toEqual([{ slug: pair.translation, language: pair.translationLanguage }]);

    const translated = await page(pair.translation, pair.originalLanguage);
    expect(translated.translationStatus).toMatchObject({ state: 'AVAILABLE', translation: { slug: pair.original, language: 'en' } });
    expect(translated.translations).toEqual([{ slug: pair.original, language: 'en' }]);
    expect((await page(pair.translation, pair.translationLanguage)).translationStatus.state).toBe('ORIGINAL');
  });

  it("shows a language version's publication, license and image as the version's own page does", async () => {
    const card = 'slug language title publication { key } license { key shortName } heroImage { title creator license { key } credit { text } }';
    const { data, errors } = await gw.raw<any>(`query($o: String!, $t: String!) {
      original: article(slug: $o) { translations { ${card} } }
      translation: article(slug: $t) { ${card} } }`, { o: pair.original, t: pair.translation });
    expect(errors).toBeUndefined();
    expect(data.translation.license).not.toBeNull();
    expect(data.translation.heroImage).not.toBeNull();
    expect(data.original.translations).toEqual([data.translation]);
  });

  it.each([
    ['REQUESTED', 'REQUESTED'],
    ['ACCEPTED', 'IN_PROGRESS'],
    ['IN_PROGRESS', 'IN_PROGRESS'],
    ['DECLINED', 'NOT_TRANSLATED'],
  ])('shows a %s request as %s, with its count', async (status, state) => {
    const [request] = await gw.sql(
      `SELECT a.slug, q.language, q.request_count FROM translation_request q JOIN article a ON a.id = q.article_id
        WHERE q.status = :status AND a.status = 'PUBLISHED' LIMIT 1`,
      { status },
    );
    const article = await page(request.slug, request.language);
    expect(article.translationStatus).toEqual({ language: request.language, state, requestCount: request.request_count, translation: null });
  });

  it('hides a translation that is not published', async () => {
    await gw.sql("UPDATE article SET status = 'DRAFT', published_at = NULL WHERE slug = :slug", { slug: pair.translation });
    const original = await page(pair.original, pair.translationLanguage);
    expect(original.translationStatus.state).not.toBe('AVAILABLE');
    expect(original.translations).toEqual([]);
  });
});
