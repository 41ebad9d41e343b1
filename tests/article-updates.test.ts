import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import type { Client } from 'graphql-ws';
import {
  ArticleUpdatedDocument,
  ArticleUpdatedSubscription,
  ArticleUpdatedSubscriptionVariables,
  CreateArticleDocument,
  PublishArticleDocument,
  UpdateArticleDocument,
} from '../client/generated/graphql';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { startReceiver, Receiver } from './helpers/receiver';
import { connect, Received, subscribe, waitForStreams } from './helpers/ws';

// An edit of a published article is an event like a publication: subscribers, `events` and
// webhooks hear of it, resume after it, filter it; an edit of a draft is nobody's business.

let gw: TestGateway;
let keys: Keys;
let receiver: Receiver;
const clients: Client[] = [];

function client(): Client {
  const c = connect(gw.url);
  clients.push(c);
  return c;
}

async function draft(slug: string, section = 'News'): Promise<string> {
  const created = await gw.request(
    CreateArticleDocument,
    { input: { slug, title: `Draft ${slug}`, language: 'en', section, body: ['First text.'] } },
    bearer(keys.editor),
  );
  expect(created.errors).toBeUndefined();
  return created.data!.createArticle.id;
}

async function published(slug: string, section = 'News'): Promise<string> {
  const id = await draft(slug, section);
  const res = await gw.request(PublishArticleDocument, { id }, bearer(keys.editor));
  expect(res.errors).toBeUndefined();
  return id;
}

async function edit(id: string, title: string) {
  const res = await gw.request(UpdateArticleDocument, { id, input: { title } }, bearer(keys.editor));
  expect(res.errors).toBeUndefined();
  return res.data!.updateArticle;
}

function updates(variables: ArticleUpdatedSubscriptionVariables = {}): Received<ArticleUpdatedSubscription> {
  return subscribe(client(), ArticleUpdatedDocument, variables);
}

beforeAll(async () => {
  gw = await startGateway({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50' } });
  keys = await createKeys(gw.db);
  receiver = await startReceiver();
  const hook = await gw.raw(
    'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }',
    { input: { url: receiver.url, events: ['ARTICLE_UPDATED'] } },
    bearer(keys.editor),
  );
  expect(hook.errors).toBeUndefined();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitForStreams(gw.url, 0);
});

afterAll(async () => {
  await gw.stop();
  await receiver.close();
});

it('tells a subscriber and a webhook of an edit of a published article, and of none of a draft', async () => {
  const live = updates();
  await waitForStreams(gw.url, 1);
  const draftId = await draft('edited-while-draft');
  await edit(draftId, 'A draft corrected');
  const publicId = await published('edited-when-public');
  const before = (await gw.raw<{ article: { updatedAt: string } }>('{ article(slug: "edited-when-public") { updatedAt } }')).data!.article.updatedAt;
  await new Promise((resolve) => setTimeout(resolve, 5));
  const edited = await edit(publicId, 'A public article corrected');

  const [event] = await live.waitFor(1);
  expect(event.articleUpdated.type).toBe('ARTICLE_UPDATED');
  expect(event.articleUpdated.article).toEqual({ id: publicId, slug: 'edited-when-public', title: 'A public article corrected', updatedAt: edited.updatedAt });
  expect(Date.parse(edited.updatedAt)).toBeGreaterThan(Date.parse(before));

  const [delivery] = await receiver.waitFor(1);
  expect(delivery.json).toMatchObject({ type: 'ARTICLE_UPDATED', article: { id: publicId, slug: 'edited-when-public', title: 'A public article corrected' } });

  // The draft's edit came first: had it been recorded, it would have arrived first.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(live.data).toHaveLength(1);
  expect(receiver.requests).toHaveLength(1);
  const log = await gw.raw<{ events: { edges: Array<{ node: { type: string; articleId: string } }> } }>('{ events(first: 100) { edges { node { type articleId } } } }');
  const edits = log.data!.events.edges.map((e) => e.node).filter((n) => n.type === 'ARTICLE_UPDATED');
  expect(edits).toEqual([{ type: 'ARTICLE_UPDATED', articleId: publicId }]);
});

it('resumes after a cursor with the edits missed, filters by section, and skips an article unpublished since', async () => {
  const first = updates();
  await waitForStreams(gw.url, 1);
  const science = await published('science-piece', 'Science');
  const culture = await published('culture-piece', 'Culture');
  await edit(science, 'Science, first correction');
  const [seen] = await first.waitFor(1);
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitForStreams(gw.url, 0);

  await edit(culture, 'Culture, corrected');
  await edit(science, 'Science, second correction');
  const withdrawn = await published('withdrawn-piece', 'Science');
  await edit(withdrawn, 'Withdrawn, corrected');
  const unpublished = await gw.raw('mutation($id: ID!) { unpublishArticle(id: $id) { id } }', { id: withdrawn }, bearer(keys.editor));
  expect(unpublished.errors).toBeUndefined();

  const resumed = updates({ after: seen.articleUpdated.cursor });
  const inScience = updates({ after: seen.articleUpdated.cursor, filter: { section: 'Science' } });
  await waitForStreams(gw.url, 2);
  await resumed.waitFor(2);
  await inScience.waitFor(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(resumed.data.map((d) => d.articleUpdated.article.title)).toEqual(['Culture, corrected', 'Science, second correction']);
  expect(inScience.data.map((d) => d.articleUpdated.article.title)).toEqual(['Science, second correction']);
  expect(resumed.errors).toEqual([]);
});

it('records nothing for an edit that changes no field', async () => {
  const id = await published('left-alone');
  const live = updates();
  await waitForStreams(gw.url, 1);
  const res = await gw.request(UpdateArticleDocument, { id, input: {} }, bearer(keys.editor));
  expect(res.errors).toBeUndefined();
  await edit(id, 'Now changed');
  const [event] = await live.waitFor(1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(live.data).toHaveLength(1);
  expect(event.articleUpdated.article.title).toBe('Now changed');
});

it('tells of each published article whose author or hero image was edited, and of no draft showing them', async () => {
  const author = await gw.raw<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "edited-author", name: "Ed Before" }) { id } }', {}, bearer(keys.editor));
  const image = await gw.raw<{ createImage: { id: string } }>(
    'mutation { createImage(input: { key: "edited-image", title: "A picture", creator: "Pat" }) { id } }',
    {},
    bearer(keys.editor),
  );
  const authorId = author.data!.createAuthor.id;
  const imageId = image.data!.createImage.id;
  const create = async (slug: string, publish: boolean) => {
    const created = await gw.raw<{ createArticle: { id: string } }>(
      'mutation($slug: String!, $authors: [ID!], $image: ID) { createArticle(input: { slug: $slug, title: $slug, language: "en", section: "News", authorIds: $authors, heroImageId: $image }) { id } }',
      { slug, authors: [authorId], image: imageId },
      bearer(keys.editor),
    );
    if (publish) await gw.request(PublishArticleDocument, { id: created.data!.createArticle.id }, bearer(keys.editor));
  };
  await create('shows-them-published', true);
  await create('shows-them-draft', false);
  await create('shows-them-too', true);

  const live = subscribe(client(), parse('subscription { articleUpdated { type article { slug authors { name } heroImage { title } } } }') as TypedDocumentNode<Record<string, any>, Record<string, never>>, {});
  await waitForStreams(gw.url, 1);
  const renamed = await gw.raw('mutation($id: ID!) { updateAuthor(id: $id, input: { name: "Ed After" }) { name } }', { id: authorId }, bearer(keys.editor));
  expect(renamed.errors).toBeUndefined();
  const byAuthor = await live.waitFor(2);
  expect(byAuthor.map((d) => d.articleUpdated.article.slug)).toEqual(['shows-them-published', 'shows-them-too']);
  expect(byAuthor.map((d) => d.articleUpdated.article.authors)).toEqual([[{ name: 'Ed After' }], [{ name: 'Ed After' }]]);

  const retitled = await gw.raw('mutation($id: ID!) { updateImage(id: $id, input: { title: "A better picture" }) { title } }', { id: imageId }, bearer(keys.editor));
  expect(retitled.errors).toBeUndefined();
  const all = await live.waitFor(4);
  expect(all.slice(2).map((d) => [d.articleUpdated.article.slug, d.articleUpdated.article.heroImage.title])).toEqual([
    ['shows-them-published', 'A better picture'],
    ['shows-them-too', 'A better picture'],
  ]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(live.data).toHaveLength(4);
});
