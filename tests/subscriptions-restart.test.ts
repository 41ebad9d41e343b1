import fs from 'node:fs';
import WebSocket from 'ws';
import { ArticlePublishedDocument } from '../client/generated/graphql';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { freshDatabase, TestDatabase } from './helpers/database';
import { tempDir } from './helpers/gateway';
import { createKeyWithCli, post, publishArticle } from './helpers/remote';
import { connect, subscribe, waitForStreams, wsUrl } from './helpers/ws';

describe('subscriptions across a restart of the gateway', () => {
  const dir = tempDir();
  let database: TestDatabase;
  let env: Record<string, string>;
  let gw: ChildGateway;
  let key: string;

  beforeAll(async () => {
    database = await freshDatabase(dir);
    env = { ...database.env, NODE_ENV: 'test' };
    gw = await startChildGateway(env);
    key = createKeyWithCli(env, 'editor');
  });

  afterAll(async () => {
    gw.child.kill('SIGKILL');
    await gw.exited;
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes sockets with 1001 on SIGTERM, exits 0, and after the restart `after` replays exactly the missed events, then live ones', async () => {
    const client = connect(gw.url);
    const first = subscribe(client, ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    await publishArticle(gw.url, key, 'before-restart');
    const [seen] = await first.waitFor(1);
    await client.dispose();
    await waitForStreams(gw.url, 0);

    // A subscriber still connected when the gateway stops hears "going away".
    const socket = new WebSocket(wsUrl(gw.url), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { articlePublished { cursor } }' } }));
    await waitForStreams(gw.url, 1);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    gw.child.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await gw.exited).toBe(0);

    gw = await startChildGateway(env);
    const missed = [
      await publishArticle(gw.url, key, 'after-restart-1'),
      await publishArticle(gw.url, key, 'after-restart-2'),
      await publishArticle(gw.url, key, 'after-restart-3'),
    ];
    const resumedClient = connect(gw.url);
    const resumed = subscribe(resumedClient, ArticlePublishedDocument, { after: seen.articlePublished.cursor });
    await resumed.waitFor(3);
    const live = await publishArticle(gw.url, key, 'live-after-restart');
    await resumed.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.data.map((d) => d.articlePublished.article.slug)).toEqual([...missed, live]);
    await resumedClient.dispose();

    // The log holds every event once, in order.
    const events = await post<{ events: { edges: Array<{ node: { sequence: number } }> } }>(gw.url, '{ events(first: 100) { edges { node { sequence } } } }');
    const sequences = events.data!.events.edges.map((e) => e.node.sequence);
    expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
    expect(sequences.length).toBe(5);
  });
});
