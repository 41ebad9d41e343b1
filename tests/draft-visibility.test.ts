import { buildSchema, getNamedType, isObjectType } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { ArticlePublishedDocument, TranslationPublishedDocument, TranslationRequestedDocument } from '../client/generated/graphql';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { connect, subscribe } from './helpers/ws';

// Every path of the schema that leads to an Article, asked anonymously, must never show a draft or
// an unpublished article. The list of paths is checked against the schema itself, so a new path
// to articles fails this test until it is covered here.

const ARTICLE_TYPES = new Set(['Article', 'ArticleConnection', 'Node']);
/** Paths only editors reach; they are meant to show drafts. */
const EDITOR_PATHS = new Set(['Query.articleForEditor', 'Mutation.createArticle', 'Mutation.updateArticle', 'Mutation.publishArticle', 'Mutation.unpublishArticle', 'Mutation.publishTranslation']);
/** Connections are reached through the field that returns them. */
const STRUCTURAL_PATHS = new Set(['ArticleConnection.edges', 'ArticleEdge.node']);

let gw: TestGateway;
let keys: Keys;
const hidden = new Set<string>();
const ids: Record<string, string> = {};

async function editor<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gw.raw<T>(query, variables, bearer(keys.editor));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

async function createArticle(slug: string, extra: Record<string, unknown> = {}): Promise<string> {
  const data = await editor<{ createArticle: { id: string } }>('mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
    input: { slug, title: `${slug} zanzibarquux`, language: 'en', section: 'Visibility', authorIds: [ids.author], licenseKey: 'cc-by-nc-2.0', body: ['zanzibarquux body'], ...extra },
  });
  return data.createArticle.id;
}

const publishArticle = (id: string) => editor('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id });
const unpublishArticle = (id: string) => editor('mutation($id: ID!) { unpublishArticle(id: $id) { id } }', { id });

/** Every article slug anywhere in a response. */
function slugs(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => slugs(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'slug' && typeof v === 'string') found.add(v);
      else slugs(v, found);
    }
  }
  return found;
}

beforeAll(async () => {
  gw = await startGateway();
  keys = await createKeys(gw.db);
  ids.author = (await editor<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "vis-author", name: "Vis Author" }) { id } }')).createAuthor.id;
  ids.draft = await createArticle('vis-draft');
  ids.withdrawn = await createArticle('vis-withdrawn');
  await publishArticle(ids.withdrawn);
  ids.published = await createArticle('vis-published', { relatedIds: [ids.draft, ids.withdrawn] });
  await publishArticle(ids.published);
  const translation = await editor<{ publishTranslation: { id: string } }>(
    'mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { id } }',
    { input: { originalId: ids.published, language: 'es', slug: 'vis-translation', title: 'zanzibarquux es', body: ['hola'] } },
  );
  ids.translation = translation.publishTranslation.id;
  // A translation whose original is withdrawn: its translationOf must not lead to the original.
  ids.withdrawnOriginal = await createArticle('vis-withdrawn-original');
  await publishArticle(ids.withdrawnOriginal);
  await editor(
    'mutation($input: PublishTranslationInput!) { publishTranslation(input: $input) { id } }',
    { input: { originalId: ids.withdrawnOriginal, language: 'fr', slug: 'vis-orphan', title: 'orphelin', body: ['salut'] } },
  );
  const asked = await gw.raw<{ requestTranslation: { request: { id: string } } }>(
    'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "de" }) { request { id } } }',
    { id: ids.withdrawnOriginal },
    { 'x-reader-id': 'vis-reader' },
  );
  ids.request = asked.data!.requestTranslation.request.id;
  await unpublishArticle(ids.withdrawn);
  await unpublishArticle(ids.translation);
  await unpublishArticle(ids.withdrawnOriginal);
  for (const slug of ['vis-draft', 'vis-withdrawn', 'vis-translation', 'vis-withdrawn-original']) hidden.add(slug);
});

afterAll(() => gw.stop());

const CARD = 'id slug';
const QUERIES: Record<string, () => Promise<unknown>> = {
  'Query.article': async () => [
    await gw.raw(`query($slug: String) { article(slug: $slug) { ${CARD} } }`, { slug: 'vis-draft' }),
    await gw.raw(`query($id: ID) { article(id: $id) { ${CARD} } }`, { id: ids.withdrawn }),
  ],
  'Query.articles': () => gw.raw(`{ articles(first: 100, filter: { section: "Visibility" }) { totalCount edges { node { ${CARD} } } } }`),
  'Query.search': () => gw.raw(`{ search(query: "zanzibarquux", first: 100) { totalCount edges { node { ${CARD} } } } }`),
  'Query.node': () =>
    Promise.all(
      [ids.draft, ids.withdrawn, ids.translation, ids.withdrawnOriginal].map((id) => gw.raw(`query($id: ID!) { node(id: $id) { ... on Article { slug } } }`, { id })),
    ),
  'Author.articles': () => gw.raw(`{ author(slug: "vis-author") { articles(first: 100) { totalCount edges { node { ${CARD} } } } } }`),
  'Article.related': () => gw.raw(`{ article(slug: "vis-published") { related(first: 20) { ${CARD} } } }`),
  'Article.translations': () => gw.raw(`{ article(slug: "vis-published") { translations { ${CARD} } } }`),
  'Article.translationOf': () => gw.raw(`{ article(slug: "vis-orphan") { translationOf { ${CARD} } } }`),
  'TranslationStatus.translation': () => gw.raw(`{ article(slug: "vis-published") { translationStatus(language: "es") { state translation { ${CARD} } } } }`),
  'TranslationRequest.article': () => gw.raw(`query($id: ID!) { node(id: $id) { ... on TranslationRequest { article { ${CARD} } } } }`, { id: ids.request }),
  'Event.article': () => gw.raw(`{ events(first: 100) { edges { node { article { ${CARD} } } } } }`),
  'Event.original': () => gw.raw(`{ events(first: 100) { edges { node { original { ${CARD} } } } } }`),
  'ArticleEvent.article': async () => {
    const client = connect(gw.url);
    const received = subscribe(client, ArticlePublishedDocument, { after: '0' });
    // Replayed: every published article's event whose article is still public (the seed has none).
    await received.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.dispose();
    return received.data;
  },
  'TranslationEvent.original': () => translationEvents(ids.withdrawnOriginal),
  'TranslationEvent.translation': () => translationEvents(ids.published),
  'TranslationRequestEvent.article': async () => {
    const client = connect(gw.url, bearer(keys.editor));
    const received = subscribe(client, TranslationRequestedDocument, { after: '0' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.dispose();
    return received.data;
  },
};

async function translationEvents(originalId: string): Promise<unknown> {
  const client = connect(gw.url);
  const received = subscribe(client, TranslationPublishedDocument, { articleId: originalId, after: '0' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await client.dispose();
  return received.data;
}

it('covers every path of the schema that leads to articles', () => {
  const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'));
  const paths = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name === 'Subscription') continue;
    for (const field of Object.values(type.getFields())) {
      const path = `${type.name}.${field.name}`;
      if (ARTICLE_TYPES.has(getNamedType(field.type).name) && !EDITOR_PATHS.has(path) && !STRUCTURAL_PATHS.has(path)) paths.add(path);
    }
  }
  expect([...paths].sort()).toEqual(Object.keys(QUERIES).sort());
});

it.each(Object.keys(QUERIES))('%s never shows a draft or an unpublished article to a reader', async (path) => {
  const found = slugs(await QUERIES[path]());
  expect([...found].filter((slug) => hidden.has(slug))).toEqual([]);
});

it('the published articles are there, so the queries above do look', async () => {
  const found = slugs(await Promise.all(Object.values(QUERIES).map((query) => query())));
  expect(found).toEqual(new Set(['vis-published', 'vis-orphan']));
});
