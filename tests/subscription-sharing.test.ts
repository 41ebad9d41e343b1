import { parse, print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Client } from 'graphql-ws';
import {
  ArticlePublishedDocument,
  ArticlePublishedSubscription,
  ArticlePublishedSubscriptionVariables,
  CreateArticleDocument,
  PublishArticleDocument,
} from '../client/generated/graphql';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { connect, Received, subscribe, waitForStreams } from './helpers/ws';

// Subscribers with the same document, variables and visibility share one execution per event:
// each must still receive exactly what a subscriber of its own would.

let gw: TestGateway;
let keys: Keys;
let authorId: string;
const clients: Client[] = [];

/** The same operation under another name: a text of its own, so it is never shared with the others. */
const UNSHARED = parse(print(ArticlePublishedDocument).replace('subscription ArticlePublished', 'subscription ArticlePublishedAlone')) as TypedDocumentNode<
  ArticlePublishedSubscription,
  ArticlePublishedSubscriptionVariables
>;

function client(params: Record<string, unknown> = {}): Client {
  const c = connect(gw.url, params);
  clients.push(c);
  return c;
}

let counter = 0;
async function publish(section = 'Technology'): Promise<string> {
  const slug = `shared-${++counter}`;
  const created = await gw.request(
    CreateArticleDocument,
    { input: { slug, title: `Shared ${counter}`, language: 'en', section, authorIds: [authorId], licenseKey: 'cc-by-nc-2.0', body: ['Text.'] } },
    bearer(keys.editor),
  );
  const published = await gw.request(PublishArticleDocument, { id: created.data!.createArticle.id }, bearer(keys.editor));
  expect(published.errors).toBeUndefined();
  return slug;
}

/** `count` subscriptions of the shared operation, spread over sockets of 20 subscriptions each. */
function many(count: number, variables: ArticlePublishedSubscriptionVariables = {}): Array<Received<ArticlePublishedSubscription>> {
  const sockets = Array.from({ length: Math.ceil(count / 20) }, () => client());
  return Array.from({ length: count }, (_, i) => subscribe(sockets[Math.floor(i / 20)], ArticlePublishedDocument, variables));
}

/** The SQL statements the gateway ran for requests and payloads while `work` ran and its events arrived. */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = await gw.sqlStatements();
  await work();
  return (await gw.sqlStatements()) - before;
}

beforeAll(async () => {
  gw = await startGateway();
  keys = await createKeys(gw.db);
  const author = await gw.raw<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "sharing", name: "Sam Sharing" }) { id } }', {}, bearer(keys.editor));
  authorId = author.data!.createAuthor.id;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitForStreams(gw.url, 0);
});

afterAll(() => gw.stop());

it('gives every subscriber of one operation the payload a subscriber of its own gets, for the statements of one', async () => {
  const alone = subscribe(client(), UNSHARED, {});
  const one = many(1);
  await waitForStreams(gw.url, 2);
  const forOne = await statementsDuring(async () => {
    await publish();
    await Promise.all([alone.waitFor(1), one[0].waitFor(1)]);
  });
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitForStreams(gw.url, 0);

  const alongside = subscribe(client(), UNSHARED, {});
  const sixty = many(60);
  await waitForStreams(gw.url, 61);
  const forSixty = await statementsDuring(async () => {
    await publish();
    await publish();
    await Promise.all([alongside.waitFor(2), ...sixty.map((r) => r.waitFor(2))]);
  });
  // Two events now: each costs what it cost with one subscriber.
  expect(forSixty).toBe(2 * forOne);
  for (const received of sixty) expect(received.data).toEqual(alongside.data);
  expect(alongside.data.map((d) => d.articlePublished.article.slug)).toEqual([`shared-${counter - 1}`, `shared-${counter}`]);
  expect(new Set(alongside.data.map((d) => d.articlePublished.cursor)).size).toBe(2);
});

it('executes apart what differs in variables or visibility, and gives each what it asked for', async () => {
  const anonymous = many(3);
  const inScience = many(3, { filter: { section: 'Science' } });
  const editorSocket = client({ authorization: `Bearer ${keys.editor}` });
  const editors = [subscribe(editorSocket, ArticlePublishedDocument, {}), subscribe(editorSocket, ArticlePublishedDocument, {})];
  const editorAlone = subscribe(client({ authorization: `Bearer ${keys.editor}` }), UNSHARED, {});
  await waitForStreams(gw.url, 9);
  const technology = await publish('Technology');
  const science = await publish('Science');
  await Promise.all([...anonymous, ...editors, editorAlone].map((r) => r.waitFor(2)));
  await Promise.all(inScience.map((r) => r.waitFor(1)));
  await new Promise((resolve) => setTimeout(resolve, 200));

  for (const received of [...anonymous, ...editors]) {
    expect(received.data.map((d) => d.articlePublished.article.slug)).toEqual([technology, science]);
    expect(received.data).toEqual(editorAlone.data);
  }
  for (const received of inScience) {
    expect(received.data).toEqual([editorAlone.data[1]]);
  }
});

it('resumes with `after` on the shared operation exactly as alone: the missed events, then live ones', async () => {
  const first = many(1);
  await waitForStreams(gw.url, 1);
  await publish();
  const [seen] = await first[0].waitFor(1);
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitForStreams(gw.url, 0);
  const missed = [await publish(), await publish()];

  const live = many(5);
  const resumed = many(5, { after: seen.articlePublished.cursor });
  const resumedAlone = subscribe(client(), UNSHARED, { after: seen.articlePublished.cursor });
  await waitForStreams(gw.url, 11);
  await Promise.all([...resumed, resumedAlone].map((r) => r.waitFor(2)));
  const next = await publish();
  await Promise.all([...resumed, resumedAlone].map((r) => r.waitFor(3)));
  await Promise.all(live.map((r) => r.waitFor(1)));

  expect(resumedAlone.data.map((d) => d.articlePublished.article.slug)).toEqual([...missed, next]);
  for (const received of resumed) expect(received.data).toEqual(resumedAlone.data);
  for (const received of live) expect(received.data).toEqual([resumedAlone.data[2]]);
});

it('delivers an article that was public when its event was checked, even if it stopped being public before the payload', async () => {
  const first = many(1);
  await waitForStreams(gw.url, 1);
  await publish();
  const [seen] = await first[0].waitFor(1);
  const slug = await publish();
  const [, checked] = await first[0].waitFor(2);
  // Behind the feed's back, so that no event arrives to make it check again: the state a
  // subscriber meets when an article is unpublished between its event's check and its payload.
  await gw.sql("UPDATE article SET status = 'DRAFT' WHERE slug = :slug", { slug });

  const resumedAlone = subscribe(client(), UNSHARED, { after: seen.articlePublished.cursor });
  await expect(resumedAlone.waitFor(1)).resolves.toEqual([checked]);
  expect(resumedAlone.errors).toEqual([]);
});
