import type { Client } from 'graphql-ws';
import {
  ArticlePublishedDocument,
  CreateArticleDocument,
  EventsDocument,
  EventsQuery,
  EventsQueryVariables,
  PublishArticleDocument,
  TranslationPublishedDocument,
  TranslationRequestedDocument,
} from '../client/generated/graphql';
import { bearer, createKeys, globalId, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { connect, subscribe, waitForStreams } from './helpers/ws';

let gw: TestGateway;
let keys: Keys;
let authorId: string;
const clients: Client[] = [];

function client(params: Record<string, unknown> = {}): Client {
  const c = connect(gw.url, params);
  clients.push(c);
  return c;
}

let counter = 0;
/** Creates and publishes an article through the editor API; returns its id and slug. */
async function publish(fields: { section?: string; language?: string; title?: string } = {}): Promise<{ id: string; slug: string }> {
  const slug = `sub-test-${++counter}`;
  const created = await gw.request(
    CreateArticleDocument,
    {
      input: {
        slug,
        title: fields.title ?? `Subscription test ${counter}`,
        language: fields.language ?? 'en',
        section: fields.section ?? 'Technology',
        authorIds: [authorId],
        licenseKey: 'cc-by-nc-2.0',
        body: ['Text.'],
      },
    },
    bearer(keys.editor),
  );
  const id = created.data!.createArticle.id;
  const published = await gw.request(PublishArticleDocument, { id }, bearer(keys.editor));
  expect(published.errors).toBeUndefined();
  return { id, slug };
}

async function editor(query: string, variables: Record<string, unknown>) {
  const res = await gw.raw(query, variables, bearer(keys.editor));
  expect(res.errors).toBeUndefined();
  return res;
}

beforeAll(async () => {
  gw = await startGateway();
  keys = await createKeys(gw.db);
  const author = await gw.raw<{ createAuthor: { id: string } }>(
    'mutation { createAuthor(input: { slug: "ada-integrator", name: "Ada Integrator" }) { id } }',
    {},
    bearer(keys.editor),
  );
  authorId = author.data!.createAuthor.id;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitForStreams(gw.url, 0);
});

afterAll(() => gw.stop());

describe('articlePublished', () => {
  it('delivers a published article with its authors and license, resolved like a query', async () => {
    const received = subscribe(client(), ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    const { slug } = await publish();
    const [event] = await received.waitFor(1);
    expect(event.articlePublished).toMatchObject({
      type: 'ARTICLE_PUBLISHED',
      cursor: expect.any(String),
      article: {
        slug,
        section: 'Technology',
        authors: [{ name: 'Ada Integrator' }],
        license: { key: 'cc-by-nc-2.0', shortName: expect.any(String) },
      },
    });
  });

  it('holds its filters: section and language (any region of it)', async () => {
    const all = subscribe(client(), ArticlePublishedDocument, {});
    const filtered = subscribe(client(), ArticlePublishedDocument, { filter: { section: 'Science', language: 'pt' } });
    await waitForStreams(gw.url, 2);
    await publish({ section: 'Technology', language: 'pt-BR' });
    await publish({ section: 'Science', language: 'en' });
    const match = await publish({ section: 'Science', language: 'pt-PT' });
    await all.waitFor(3);
    await filtered.waitFor(1);
    expect(filtered.data.map((d) => d.articlePublished.article.slug)).toEqual([match.slug]);
  });

  it('refuses a filter language that is not a BCP 47 tag, opening no stream', async () => {
    const received = subscribe(client(), ArticlePublishedDocument, { filter: { language: 'not a tag!' } });
    await expect(received.waitFor(1, 2000)).rejects.toThrow();
    expect(received.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    await waitForStreams(gw.url, 0);
  });

  it('after a disconnect, resumes with `after`: exactly the three missed events, in order, then live ones', async () => {
    const first = subscribe(client(), ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    await publish();
    const [seen] = await first.waitFor(1);
    await clients.pop()!.dispose();
    await waitForStreams(gw.url, 0);

    const missed = [await publish(), await publish(), await publish()];
    // Published and withdrawn while the subscriber was away: it is no longer public, so it is skipped.
    const withdrawn = await publish();
    await editor('mutation($id: ID!) { unpublishArticle(id: $id) { status } }', { id: withdrawn.id });

    const resumed = subscribe(client(), ArticlePublishedDocument, { after: seen.articlePublished.cursor });
    await resumed.waitFor(3);
    const live = await publish();
    await resumed.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.data.map((d) => d.articlePublished.article.slug)).toEqual([...missed.map((m) => m.slug), live.slug]);
  });

  it('resolves every event with fresh loaders: a republished article shows its new title', async () => {
    const received = subscribe(client(), ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    const { id } = await publish({ title: 'Before' });
    await received.waitFor(1);
    await editor('mutation($id: ID!) { unpublishArticle(id: $id) { status } }', { id });
    await editor('mutation($id: ID!) { updateArticle(id: $id, input: { title: "After" }) { title } }', { id });
    await editor('mutation($id: ID!) { publishArticle(id: $id) { status } }', { id });
    await received.waitFor(2);
    expect(received.data.map((d) => d.articlePublished.article.title)).toEqual(['Before', 'After']);
  });
});

describe('translationRequested', () => {
  const referenceId = () => gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG }).then(([r]) => globalId('Article', r.id));

  it.each([
    ['a reader (no key)', false, 'UNAUTHENTICATED'],
    ['an integrator key', true, 'FORBIDDEN'],
  ])('is refused to %s, opening no stream', async (_who, withKey, code) => {
    const received = subscribe(client(withKey ? bearer(keys.integrator) : {}), TranslationRequestedDocument, {});
    await expect(received.waitFor(1, 2000)).rejects.toThrow();
    expect(received.errors.map((e) => e.extensions?.code)).toEqual([code]);
    await waitForStreams(gw.url, 0);
  });

  it('tells editors about each reader asking', async () => {
    const articleId = await referenceId();
    const received = subscribe(client({ authorization: `Bearer ${keys.editor}` }), TranslationRequestedDocument, { articleId });
    await waitForStreams(gw.url, 1);
    for (const reader of ['r1', 'r2']) {
      await gw.raw('mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ko" }) { alreadyRequested } }', { id: articleId }, {
        'x-reader-id': reader,
      });
    }
    const events = await received.waitFor(2);
    // Each payload shows the request as it is when the event is delivered.
    expect(events.map((e) => e.translationRequested)).toEqual([
      { cursor: expect.any(String), language: 'ko', request: { status: 'REQUESTED', requestCount: expect.any(Number) }, article: { slug: REFERENCE_SLUG } },
      { cursor: expect.any(String), language: 'ko', request: { status: 'REQUESTED', requestCount: 2 }, article: { slug: REFERENCE_SLUG } },
    ]);
  });
});

describe('translationPublished', () => {
  it('delivers a new translation of the article, in the language asked for only', async () => {
    const [row] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
    const articleId = globalId('Article', row.id);
    const italian = subscribe(client(), TranslationPublishedDocument, { articleId, language: 'it' });
    await waitForStreams(gw.url, 1);
    for (const language of ['nl', 'it-IT']) {
      await editor('mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { id } }', {
        input: { originalId: articleId, language, slug: `reference-${language.toLowerCase()}`, title: `In ${language}`, body: ['…'] },
      });
    }
    const [event] = await italian.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(italian.data).toHaveLength(1);
    expect(event.translationPublished).toEqual({
      cursor: expect.any(String),
      language: 'it',
      original: { slug: REFERENCE_SLUG },
      translation: { slug: 'reference-it-it', title: 'In it-IT', language: 'it' },
    });
  });
});

describe('events (polling)', () => {
  it('pages through the log in order, hiding translation requests from everyone but editors', async () => {
    const publicTypes = new Set<string>();
    let after: string | null | undefined = null;
    let sequences: number[] = [];
    for (;;) {
      const page: Awaited<ReturnType<typeof gw.request<EventsQuery, EventsQueryVariables>>> = await gw.request(EventsDocument, { after, first: 5 });
      expect(page.errors).toBeUndefined();
      for (const edge of page.data!.events.edges) {
        publicTypes.add(edge.node.type);
        sequences.push(edge.node.sequence);
      }
      if (!page.data!.events.pageInfo.hasNextPage) break;
      after = page.data!.events.pageInfo.endCursor;
    }
    expect(publicTypes.has('TRANSLATION_REQUESTED')).toBe(false);
    expect(publicTypes.has('ARTICLE_PUBLISHED')).toBe(true);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);

    const asEditor = await gw.request(EventsDocument, { first: 100 }, bearer(keys.editor));
    const editorTypes = asEditor.data!.events.edges.map((e) => e.node.type);
    expect(editorTypes).toContain('TRANSLATION_REQUESTED');
    sequences = asEditor.data!.events.edges.map((e) => e.node.sequence);
    expect(sequences.length).toBeGreaterThan(publicTypes.size);
  });

  it('shows an unpublished article as null while keeping its id', async () => {
    const { id } = await publish();
    await editor('mutation($id: ID!) { unpublishArticle(id: $id) { status } }', { id });
    const page = await gw.request(EventsDocument, { first: 100 });
    const mine = page.data!.events.edges.filter((e) => e.node.articleId === id);
    expect(mine.map((e) => [e.node.type, e.node.article])).toEqual([
      ['ARTICLE_PUBLISHED', null],
      ['ARTICLE_UNPUBLISHED', null],
    ]);
  });

  it('refuses a cursor it did not issue', async () => {
    const page = await gw.request(EventsDocument, { after: 'bm90LWEtY3Vyc29y' });
    expect(page.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});
