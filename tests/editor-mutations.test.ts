import {
  CreateArticleDocument,
  PublishArticleDocument,
  PublishTranslationDocument,
  SetTranslationRequestStatusDocument,
} from '../client/generated/graphql';
import { bearer, createKeys, globalId, Keys, snapshot } from './helpers/editors';
import { codes, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

let gw: TestGateway;
let keys: Keys;
let referenceId: string;
let authorId: string;
let imageId: string;
let draftId: string;
let keptDraftId: string;
let toUnpublishId: string;
let requestId: string;

async function rowIdOf(table: string, column: string, value: string): Promise<number> {
  const [row] = await gw.sql(`SELECT id FROM ${table} WHERE ${column} = :value`, { value });
  return Number(row.id);
}

beforeAll(async () => {
  gw = await startGateway();
  keys = await createKeys(gw.db);
  referenceId = globalId('Article', await rowIdOf('article', 'slug', REFERENCE_SLUG));
  const author = await gw.raw<{ createAuthor: { id: string } }>(
    'mutation { createAuthor(input: { slug: "fixture-author", name: "Fixture Author" }) { id } }',
    {},
    bearer(keys.editor),
  );
  authorId = author.data!.createAuthor.id;
  const [image] = await gw.db.query('SELECT id FROM image ORDER BY id LIMIT 1');
  imageId = globalId('Image', Number(image.id));
  const draft = await gw.request(
    CreateArticleDocument,
    { input: { slug: 'a-fixture-draft', title: 'A fixture draft', language: 'en', body: ['One.'] } },
    bearer(keys.editor),
  );
  draftId = draft.data!.createArticle.id;
  const kept = await gw.request(
    CreateArticleDocument,
    { input: { slug: 'a-draft-that-stays', title: 'Never published', language: 'en' } },
    bearer(keys.editor),
  );
  keptDraftId = kept.data!.createArticle.id;
  const toUnpublish = await gw.request(
    CreateArticleDocument,
    { input: { slug: 'published-then-withdrawn', title: 'Withdrawn', language: 'en' } },
    bearer(keys.editor),
  );
  toUnpublishId = toUnpublish.data!.createArticle.id;
  await gw.request(PublishArticleDocument, { id: toUnpublishId }, bearer(keys.editor));
  const asked = await gw.raw<{ requestTranslation: { request: { id: string } } }>(
    'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "fr" }) { request { id } } }',
    { id: referenceId },
    { 'x-reader-id': 'fixture-reader' },
  );
  requestId = asked.data!.requestTranslation.request.id;
});

afterAll(() => gw.stop());

interface MutationCase {
  name: string;
  query: string;
  /** Variables that succeed (as the first call of a fresh case) */
  valid: () => Record<string, unknown>;
  /** Each a variable set that must fail with BAD_USER_INPUT (or NOT_FOUND) naming `field`. */
  invalid: Array<{ why: string; variables: () => Record<string, unknown>; field?: string; code?: string }>;
  /** What success looks like in the response. */
  check: (data: Record<string, unknown>) => void;
}

const CASES: MutationCase[] = [
  {
    name: 'createArticle',
    query: 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { slug status language authors { id } license { key } } }',
    valid: () => ({
      input: { slug: 'fresh-article', title: 'Fresh', language: 'pt-br', authorIds: [authorId], licenseKey: 'cc-by-nc-2.0', body: ['Hi.'] },
    }),
    invalid: [
      { why: 'a slug with capitals', variables: () => ({ input: { slug: 'Bad Slug', title: 'T', language: 'en' } }), field: 'input.slug' },
      { why: 'a slug in use', variables: () => ({ input: { slug: REFERENCE_SLUG, title: 'T', language: 'en' } }), field: 'input.slug' },
      { why: 'an empty title', variables: () => ({ input: { slug: 'x-1', title: '   ', language: 'en' } }), field: 'input.title' },
      { why: 'a title over 500 characters', variables: () => ({ input: { slug: 'x-2', title: 'x'.repeat(501), language: 'en' } }), field: 'input.title' },
      { why: 'a language that is not BCP 47', variables: () => ({ input: { slug: 'x-3', title: 'T', language: 'english!' } }), field: 'input.language' },
      { why: 'an unknown author', variables: () => ({ input: { slug: 'x-4', title: 'T', language: 'en', authorIds: [globalId('Author', 999999)] } }), field: 'input.authorIds' },
      { why: 'the same author twice', variables: () => ({ input: { slug: 'x-5', title: 'T', language: 'en', authorIds: [authorId, authorId] } }), field: 'input.authorIds' },
      { why: 'an unknown license', variables: () => ({ input: { slug: 'x-6', title: 'T', language: 'en', licenseKey: 'all-rights-mine' } }), field: 'input.licenseKey' },
      { why: 'an unknown hero image', variables: () => ({ input: { slug: 'x-7', title: 'T', language: 'en', heroImageId: globalId('Image', 999999) } }), field: 'input.heroImageId' },
      { why: 'an author id given as related article', variables: () => ({ input: { slug: 'x-8', title: 'T', language: 'en', relatedIds: [authorId] } }), field: 'input.relatedIds' },
    ],
    check: (data) =>
      expect(data.createArticle).toEqual({ slug: 'fresh-article', status: 'DRAFT', language: 'pt-BR', authors: [{ id: authorId }], license: { key: 'cc-by-nc-2.0' } }),
  },
  {
    name: 'updateArticle',
    query: 'mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { title summary heroImage { id } status } }',
    valid: () => ({ id: draftId, input: { title: 'Retitled', summary: null, heroImageId: imageId } }),
    invalid: [
      { why: 'an unknown article', variables: () => ({ id: globalId('Article', 999999), input: { title: 'T' } }), code: 'NOT_FOUND' },
      { why: 'a null title', variables: () => ({ id: draftId, input: { title: null } }), field: 'input.title' },
      { why: 'a slug taken by another article', variables: () => ({ id: draftId, input: { slug: REFERENCE_SLUG } }), field: 'input.slug' },
      { why: 'a summary over 5000 characters', variables: () => ({ id: draftId, input: { summary: 'x'.repeat(5001) } }), field: 'input.summary' },
      { why: 'the article related to itself', variables: () => ({ id: draftId, input: { relatedIds: [draftId] } }), field: 'input.relatedIds' },
      { why: 'an id of the wrong type', variables: () => ({ id: authorId, input: { title: 'T' } }), field: 'id' },
    ],
    // A draft's hero image is not public, and heroImage reads the image table directly.
    check: (data) => expect(data.updateArticle).toEqual({ title: 'Retitled', summary: null, heroImage: { id: imageId }, status: 'DRAFT' }),
  },
  {
    name: 'publishArticle',
    query: 'mutation($id: ID!) { publishArticle(id: $id) { status publishedAt } }',
    valid: () => ({ id: draftId }),
    invalid: [
      { why: 'an unknown article', variables: () => ({ id: globalId('Article', 999999) }), code: 'NOT_FOUND' },
      { why: 'a malformed id', variables: () => ({ id: 'not-an-id' }), field: 'id' },
    ],
    check: (data) => expect(data.publishArticle).toEqual({ status: 'PUBLISHED', publishedAt: expect.any(String) }),
  },
  {
    name: 'unpublishArticle',
    query: 'mutation($id: ID!) { unpublishArticle(id: $id) { status } }',
    valid: () => ({ id: toUnpublishId }),
    invalid: [{ why: 'an unknown article', variables: () => ({ id: globalId('Article', 999999) }), code: 'NOT_FOUND' }],
    check: (data) => expect(data.unpublishArticle).toEqual({ status: 'DRAFT' }),
  },
  {
    name: 'createAuthor',
    query: 'mutation($input: CreateAuthorInput!) { createAuthor(input: $input) { slug name bio } }',
    valid: () => ({ input: { slug: 'new-author', name: 'New Author', bio: 'Writes.' } }),
    invalid: [
      { why: 'a slug with spaces', variables: () => ({ input: { slug: 'new author', name: 'N' } }), field: 'input.slug' },
      { why: 'an empty name', variables: () => ({ input: { slug: 'n-1', name: '' } }), field: 'input.name' },
      { why: 'a bio over 5000 characters', variables: () => ({ input: { slug: 'n-2', name: 'N', bio: 'x'.repeat(5001) } }), field: 'input.bio' },
    ],
    check: (data) => expect(data.createAuthor).toEqual({ slug: 'new-author', name: 'New Author', bio: 'Writes.' }),
  },
  {
    name: 'updateAuthor',
    query: 'mutation($id: ID!, $input: UpdateAuthorInput!) { updateAuthor(id: $id, input: $input) { name affiliation } }',
    valid: () => ({ id: authorId, input: { affiliation: 'Somewhere' } }),
    invalid: [
      { why: 'an unknown author', variables: () => ({ id: globalId('Author', 999999), input: { name: 'N' } }), code: 'NOT_FOUND' },
      { why: 'an affiliation over 300 characters', variables: () => ({ id: authorId, input: { affiliation: 'x'.repeat(301) } }), field: 'input.affiliation' },
      { why: 'a double hyphen in the slug', variables: () => ({ id: authorId, input: { slug: 'a--b' } }), field: 'input.slug' },
    ],
    check: (data) => expect((data.updateAuthor as { affiliation: string }).affiliation).toBe('Somewhere'),
  },
  {
    name: 'createImage',
    query: 'mutation($input: CreateImageInput!) { createImage(input: $input) { title sourceUrl license { key } } }',
    valid: () => ({ input: { key: 'new-image', title: 'A picture', sourceUrl: 'https://example.org/p.jpg', licenseKey: 'cc-by-nc-2.0' } }),
    invalid: [
      { why: 'a javascript: URL', variables: () => ({ input: { key: 'i-1', title: 'T', sourceUrl: 'javascript:alert(1)' } }), field: 'input.sourceUrl' },
      { why: 'an ftp URL', variables: () => ({ input: { key: 'i-2', title: 'T', sourceUrl: 'ftp://example.org/p.jpg' } }), field: 'input.sourceUrl' },
      { why: 'an unknown license', variables: () => ({ input: { key: 'i-3', title: 'T', licenseKey: 'nope' } }), field: 'input.licenseKey' },
    ],
    check: (data) =>
      expect(data.createImage).toEqual({ title: 'A picture', sourceUrl: 'https://example.org/p.jpg', license: { key: 'cc-by-nc-2.0' } }),
  },
  {
    name: 'updateImage',
    query: 'mutation($id: ID!, $input: UpdateImageInput!) { updateImage(id: $id, input: $input) { creator } }',
    valid: () => ({ id: imageId, input: { creator: 'Someone Else' } }),
    invalid: [
      { why: 'an unknown image', variables: () => ({ id: globalId('Image', 999999), input: { creator: 'C' } }), code: 'NOT_FOUND' },
      { why: 'a data: URL', variables: () => ({ id: imageId, input: { sourceUrl: 'data:text/html,hi' } }), field: 'input.sourceUrl' },
    ],
    check: (data) => expect(data.updateImage).toEqual({ creator: 'Someone Else' }),
  },
  {
    name: 'setTranslationRequestStatus',
    query: 'mutation($id: ID!, $status: TranslationRequestStatus!) { setTranslationRequestStatus(id: $id, status: $status) { status } }',
    valid: () => ({ id: requestId, status: 'ACCEPTED' }),
    invalid: [
      { why: 'skipping ACCEPTED', variables: () => ({ id: requestId, status: 'IN_PROGRESS' }), field: 'status' },
      { why: 'PUBLISHED without a translation', variables: () => ({ id: requestId, status: 'PUBLISHED' }), field: 'status' },
      { why: 'staying REQUESTED', variables: () => ({ id: requestId, status: 'REQUESTED' }), field: 'status' },
      { why: 'an unknown request', variables: () => ({ id: globalId('TranslationRequest', 999999), status: 'ACCEPTED' }), code: 'NOT_FOUND' },
    ],
    check: (data) => expect(data.setTranslationRequestStatus).toEqual({ status: 'ACCEPTED' }),
  },
  {
    name: 'publishTranslation',
    query: 'mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { slug language status translationOf { slug } } }',
    valid: () => ({ input: { originalId: referenceId, language: 'de', slug: 'reference-de', title: 'Auf Deutsch', body: ['Hallo.'] } }),
    invalid: [
      { why: "the original's own language", variables: () => ({ input: { originalId: referenceId, language: 'en-GB', slug: 't-1', title: 'T', body: [] } }), field: 'input.language' },
      { why: 'a request not yet IN_PROGRESS', variables: () => ({ input: { originalId: referenceId, language: 'fr', slug: 't-2', title: 'T', body: [] } }), field: 'input.language' },
      { why: 'a draft original', variables: () => ({ input: { originalId: keptDraftId, language: 'es', slug: 't-3', title: 'T', body: [] } }), field: 'input.originalId' },
      { why: 'a slug in use', variables: () => ({ input: { originalId: referenceId, language: 'es', slug: REFERENCE_SLUG, title: 'T', body: [] } }), field: 'input.slug' },
      { why: 'an invalid language tag', variables: () => ({ input: { originalId: referenceId, language: '12', slug: 't-4', title: 'T', body: [] } }), field: 'input.language' },
    ],
    check: (data) =>
      expect(data.publishTranslation).toEqual({ slug: 'reference-de', language: 'de', status: 'PUBLISHED', translationOf: { slug: REFERENCE_SLUG } }),
  },
];

describe.each(CASES)('$name', (c) => {
  it('refuses a caller without a key (UNAUTHENTICATED), with a non-editor key or a revoked key (FORBIDDEN), and writes nothing', async () => {
    const before = await snapshot(gw.db);
    const credentials: Array<[Record<string, string>, string]> = [
      [{}, 'UNAUTHENTICATED'],
      [bearer('cgk_' + 'A'.repeat(43)), 'UNAUTHENTICATED'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'UNAUTHENTICATED'],
      [bearer(keys.integrator), 'FORBIDDEN'],
      [bearer(keys.revokedEditor), 'FORBIDDEN'],
    ];
    for (const [headers, code] of credentials) {
      const res = await gw.raw(c.query, c.valid(), headers);
      expect(codes(res)).toEqual([code]);
      expect(res.data).toBeNull();
    }
    expect(await snapshot(gw.db)).toBe(before);
  });

  it.each(c.invalid)('refuses $why with a message naming the field, and writes nothing', async (bad) => {
    const before = await snapshot(gw.db);
    const res = await gw.raw(c.query, bad.variables(), bearer(keys.editor));
    expect(codes(res)).toEqual([bad.code ?? 'BAD_USER_INPUT']);
    if (bad.field) {
      expect(res.errors![0].extensions!.field).toBe(bad.field);
      expect(res.errors![0].message.startsWith(bad.field)).toBe(true);
    }
    expect(await snapshot(gw.db)).toBe(before);
  });

  it('succeeds for an editor', async () => {
    if (c.name === 'publishTranslation') {
      // Publishing into a language with an open request needs the request IN_PROGRESS; "de" has none.
      expect(await gw.count("translation_request WHERE language = 'de'")).toBe(0);
    }
    const res = await gw.raw(c.query, c.valid(), bearer(keys.editor));
    expect(res.errors).toBeUndefined();
    c.check(res.data as Record<string, unknown>);
  });
});

describe('the translation workflow end to end', () => {
  it('moves a request REQUESTED -> ACCEPTED -> IN_PROGRESS, publishes the translation, and the status turns AVAILABLE', async () => {
    const asked = await gw.raw<{ requestTranslation: { request: { id: string } } }>(
      'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { id } } }',
      { id: referenceId },
      { 'x-reader-id': 'reader-ja' },
    );
    const id = asked.data!.requestTranslation.request.id;
    for (const status of ['ACCEPTED', 'IN_PROGRESS'] as const) {
      const moved = await gw.request(SetTranslationRequestStatusDocument, { id, status }, bearer(keys.editor));
      expect(moved.data?.setTranslationRequestStatus.status).toBe(status);
    }
    const published = await gw.request(
      PublishTranslationDocument,
      { input: { originalId: referenceId, language: 'ja-JP', slug: 'reference-ja', title: '日本語で', body: ['こんにちは。'] } },
      bearer(keys.editor),
    );
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishTranslation).toMatchObject({ slug: 'reference-ja', language: 'ja', status: 'PUBLISHED' });

    const status = await gw.raw<{ article: { translationStatus: { state: string; translation: { slug: string } } } }>(
      `{ article(slug: "${REFERENCE_SLUG}") { translationStatus(language: "ja") { state translation { slug } } } }`,
    );
    expect(status.data!.article.translationStatus).toEqual({ state: 'AVAILABLE', translation: { slug: 'reference-ja' } });
    const [request] = await gw.db.query("SELECT status FROM translation_request WHERE language = 'ja'");
    expect(request.status).toBe('PUBLISHED');

    const again = await gw.request(SetTranslationRequestStatusDocument, { id, status: 'DECLINED' }, bearer(keys.editor));
    expect(codes(again)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the translation request queue', () => {
  const QUEUE = 'query($status: TranslationRequestStatus, $first: Int, $after: String) { translationRequests(status: $status, first: $first, after: $after) { totalCount edges { node { language status } } pageInfo { hasNextPage endCursor } } }';

  it('is for editors only', async () => {
    expect(codes(await gw.raw(QUEUE, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gw.raw(QUEUE, {}, bearer(keys.integrator)))).toEqual(['FORBIDDEN']);
  });

  it('lists requests oldest first, by status, a page at a time', async () => {
    type Queue = { translationRequests: { totalCount: number; edges: Array<{ node: { language: string; status: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const all = await gw.raw<Queue>(QUEUE, { first: 100 }, bearer(keys.editor));
    const [{ n }] = await gw.db.query('SELECT COUNT(*) AS n FROM translation_request');
    expect(all.data!.translationRequests.totalCount).toBe(Number(n));
    const first = await gw.raw<Queue>(QUEUE, { first: 1 }, bearer(keys.editor));
    const second = await gw.raw<Queue>(QUEUE, { first: 1, after: first.data!.translationRequests.pageInfo.endCursor }, bearer(keys.editor));
    expect([...first.data!.translationRequests.edges, ...second.data!.translationRequests.edges]).toEqual(all.data!.translationRequests.edges.slice(0, 2));
    const published = await gw.raw<Queue>(QUEUE, { status: 'PUBLISHED' }, bearer(keys.editor));
    expect(published.data!.translationRequests.edges.map((e) => e.node)).toEqual([{ language: 'ja', status: 'PUBLISHED' }]);
  });
});

describe('editors racing each other', () => {
  it('publishes a draft once when ten requests publish it at the same moment: one event, one publication time', async () => {
    const created = await gw.request(CreateArticleDocument, { input: { slug: 'raced-draft', title: 'Raced', language: 'en' } }, bearer(keys.editor));
    const id = created.data!.createArticle.id;
    const events = await gw.count('event');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => gw.raw<{ publishArticle: { publishedAt: string } }>('mutation($id: ID!) { publishArticle(id: $id) { publishedAt } }', { id }, bearer(keys.editor))),
    );
    expect(results.map((r) => r.errors)).toEqual(Array(10).fill(undefined));
    expect(new Set(results.map((r) => r.data!.publishArticle.publishedAt)).size).toBe(1);
    expect(await gw.count('event')).toBe(events + 1);
  });
});

describe('readers during a refused write', () => {
  it('never see what the refused write had written before it was refused', async () => {
    const intruder = await gw.raw<{ createAuthor: { id: string } }>(
      'mutation { createAuthor(input: { slug: "never-credited", name: "Never Credited" }) { id } }',
      {},
      bearer(keys.editor),
    );
    const intruderId = intruder.data!.createAuthor.id;
    // The byline is replaced before the related list is checked and found to name the article itself.
    const refused = 'mutation($id: ID!, $authors: [ID!]) { updateArticle(id: $id, input: { authorIds: $authors, relatedIds: [$id] }) { id } }';
    const byline = 'query($slug: String!) { article(slug: $slug) { authors { name } } }';
    const bylines: string[] = [];
    for (let round = 0; round < 20; round++) {
      const [update, ...reads] = await Promise.all([
        gw.raw(refused, { id: referenceId, authors: [intruderId] }, bearer(keys.editor)),
        ...Array.from({ length: 30 }, () => gw.raw<{ article: { authors: Array<{ name: string }> } }>(byline, { slug: REFERENCE_SLUG })),
      ]);
      expect(codes(update)).toEqual(['BAD_USER_INPUT']);
      for (const read of reads) bylines.push(read.data!.article.authors.map((a) => a.name).join(', '));
    }
    expect(bylines).toHaveLength(600);
    expect(bylines.filter((names) => names.includes('Never Credited'))).toEqual([]);
  });
});
