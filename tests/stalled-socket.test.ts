import type { Client } from 'graphql-ws';
import { ArticlePublishedDocument } from '../client/generated/graphql';
import { createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { acknowledgedRaw, RawSocket } from './helpers/raw-ws';
import { waitFor } from './helpers/redis';
import { publishArticle } from './helpers/remote';
import { connect, subscribe, waitForStreams } from './helpers/ws';

// A client that stops reading (a frozen app, a dead network path) must cost the others nothing:
// each of its subscriptions waits at its own next send, and the keep-alive, whose pings it no
// longer answers, closes it and frees its streams.

const KEEPALIVE_MS = 300;
let gw: TestGateway;
let keys: Keys;
let stalled: RawSocket | undefined;
const clients: Client[] = [];

beforeAll(async () => {
  gw = await startGateway({ env: { WS_KEEPALIVE_MS: String(KEEPALIVE_MS) } });
  keys = await createKeys(gw.db);
});

afterAll(async () => {
  stalled?.socket.terminate();
  await Promise.all(clients.map((c) => c.dispose()));
  await gw.stop();
});

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

  const slugs = [];
  for (const slug of ['stalled-1', 'stalled-2', 'stalled-3']) slugs.push(await publishArticle(gw.url, keys.editor, slug));
  await received.waitFor(3, 2000);
  expect(received.data.map((d) => d.articlePublished.article.slug)).toEqual(slugs);

  await waitFor(async () => (await gw.metric('gateway_websockets')) === 1, 10 * KEEPALIVE_MS);
  await waitForStreams(gw.url, 1);
  const later = await publishArticle(gw.url, keys.editor, 'stalled-4');
  await received.waitFor(4, 2000);
  expect(received.data[3].articlePublished.article.slug).toBe(later);
});
