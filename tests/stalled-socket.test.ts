import type { Client } from 'graphql-ws';
import { ArticlePublishedDocument, CreateArticleDocument, PublishArticleDocument } from '../client/generated/graphql';
import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { acknowledgedRaw, RawSocket } from './helpers/raw-ws';
import { connect, subscribe, waitForStreams } from './helpers/ws';

// A client that stops reading (a frozen app, a dead network path) must cost the others nothing:
// each of its subscriptions waits at its own next send, and the keep-alive, whose pings it no
// longer answers, closes it and frees its streams.

const KEEPALIVE_MS = 300;
let gw: TestGateway;
let keys: Keys;
let authorId: string;
let stalled: RawSocket | undefined;
const clients: Client[] = [];

beforeAll(async () => {
  gw = await startGateway({ env: { WS_KEEPALIVE_MS: String(KEEPALIVE_MS) } });
  keys = await createKeys(gw.db);
  const author = await gw.raw<{ createAuthor: { id: string } }>('mutation { createAuthor(input: { slug: "stall", name: "Stella Stall" }) { id } }', {}, bearer(keys.editor));
  authorId = author.data!.createAuthor.id;
});

afterAll(async () => {
  stalled?.socket.terminate();
  await Promise.all(clients.map((c) => c.dispose()));
  await gw.stop();
});

async function publish(n: number): Promise<string> {
  const slug = `stalled-${n}`;
  const created = await gw.request(
    CreateArticleDocument,
    { input: { slug, title: `Stalled ${n}`, language: 'en', section: 'Technology', authorIds: [authorId], licenseKey: 'cc-by-nc-2.0', body: ['Text.'] } },
    bearer(keys.editor),
  );
  await gw.request(PublishArticleDocument, { id: created.data!.createArticle.id }, bearer(keys.editor));
  return slug;
}

async function until(what: string, done: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('delivers to the others at once, and the keep-alive closes the socket that reads nothing and frees its streams', async () => {
  stalled = await acknowledgedRaw(gw.url);
  for (let i = 0; i < 20; i++) {
    stalled.send({ id: String(i), type: 'subscribe', payload: { query: 'subscription { articlePublished { cursor article { slug title } } }' } });
  }
  const reader = connect(gw.url);
  clients.push(reader);
  const received = subscribe(reader, ArticlePublishedDocument, {});
  await waitForStreams(gw.url, 21);
  // From here on it reads nothing: not the events, not the keep-alive's pings.
  stalled.socket.pause();

  const slugs = [await publish(1), await publish(2), await publish(3)];
  await received.waitFor(3, 2000);
  expect(received.data.map((d) => d.articlePublished.article.slug)).toEqual(slugs);

  await until('the stalled socket to be closed', async () => (await gw.metric('gateway_websockets')) === 1, 10 * KEEPALIVE_MS);
  await waitForStreams(gw.url, 1);
  const later = await publish(4);
  await received.waitFor(4, 2000);
  expect(received.data[3].articlePublished.article.slug).toBe(later);
});
