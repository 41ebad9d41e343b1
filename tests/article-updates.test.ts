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
