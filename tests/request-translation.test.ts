import { ReferencePageDocument, RequestTranslationDocument } from '../client/generated/graphql';
import { toGlobalId } from '../src/graphql/global-id';
import { codes, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

describe('requestTranslation', () => {
  let gw: TestGateway;
  let articleId: string;
  beforeAll(async () => {
    gw = await startGateway({ env: { TRANSLATION_REQUESTS_PER_MINUTE: '1000' } });
    const page = await gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language: 'ja' });
    articleId = page.data!.article!.id;
  });
  afterAll(() => gw.stop());

  const ask = (language: string, reader?: string, id = articleId) =>
    gw.request(RequestTranslationDocument, { articleId: id, language }, reader ? { 'x-reader-id': reader } : {});

  const state = async (language: string) =>
    (await gw.request(ReferencePageDocument, { slug: REFERENCE_SLUG, language })).data!.article!.translationStatus;

  it('counts each reader once and shows the request on the page', async () => {
    const first = await ask('ja', 'reader-one');
    expect(first.errors).toBeUndefined();
    expect(first.data!.requestTranslation).toMatchObject({
      alreadyRequested: false,
      request: { language: 'ja', state: 'REQUESTED', requestCount: 1 },
    });

    const again = await ask('ja-JP', 'reader-one');
    expect(again.data!.requestTranslation).toMatchObject({ alreadyRequested: true, request: { requestCount: 1 } });

    const second = await ask('ja', 'reader-two');
    expect(second.data!.requestTranslation).toMatchObject({ alreadyRequested: false, request: { requestCount: 2 } });

    expect(await state('ja')).toEqual({ language: 'ja', state: 'REQUESTED', requestCount: 2, translation: null });
    expect(await state('fr')).toMatchObject({ state: 'NOT_TRANSLATED', requestCount: 0 });
  });

  it('stores only a keyed hash of the reader id', async () => {
    const rows: Array<{ reader_hash: string }> = await gw.db.query('SELECT reader_hash FROM translation_request_reader');
    expect(rows).toHaveLength(2);
    for (const { reader_hash } of rows) {
      expect(reader_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(reader_hash).not.toContain('reader');
    }
  });

  it('counts concurrent readers exactly', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => ask('de', `concurrent-${i}`)));
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    expect(await state('de')).toMatchObject({ state: 'REQUESTED', requestCount: 25 });
  });

  describe('bad input changes nothing', () => {
    const cases: Array<[string, () => ReturnType<typeof ask>, string, RegExp]> = [
      ['an unknown article', () => ask('ja', 'r', toGlobalId('Article', 999999)), 'NOT_FOUND', /No published article/],
      ['a malformed id', () => ask('ja', 'r', 'not-an-id!'), 'BAD_USER_INPUT', /not a valid id/],
      ['the id of another type', () => ask('ja', 'r', toGlobalId('Author', 1)), 'BAD_USER_INPUT', /must be the id of a Article/],
      ['a malformed language tag', () => ask('ja_JP!', 'r'), 'BAD_USER_INPUT', /not a valid BCP 47/],
      ['an empty language', () => ask('', 'r'), 'BAD_USER_INPUT', /BCP 47/],
      ["the article's own language", () => ask('en-GB', 'r'), 'BAD_USER_INPUT', /already written in "en"/],
      ['a missing reader id', () => ask('it'), 'BAD_USER_INPUT', /x-reader-id/],
      ['an overlong reader id', () => ask('it', 'x'.repeat(201)), 'BAD_USER_INPUT', /at most 200/],
    ];
    it.each(cases)('%s', async (_name, call, code, message) => {
      const before = [await gw.count('translation_request'), await gw.count('translation_request_reader')];
      const res = await call();
      expect(res.status).toBe(200);
      expect(res.data).toBeNull();
      expect(codes(res)).toEqual([code]);
      expect(res.errors![0].message).toMatch(message);
      expect([await gw.count('translation_request'), await gw.count('translation_request_reader')]).toEqual(before);
    });
  });
});
