import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { ArticlePublishedDocument } from '../client/generated/graphql';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { freshDatabase, TestDatabase } from './helpers/database';
import { tempDir } from './helpers/gateway';
import { PrivateRedis, privateRedis, redisAvailable, waitFor } from './helpers/redis';
import { createKeyWithCli, publishArticle } from './helpers/remote';
import { connect, subscribe, waitForStreams } from './helpers/ws';

const describeWithRedis = redisAvailable() ? describe : describe.skip;

describeWithRedis('subscriptions across two gateway instances (needs Redis)', () => {
  const dir = tempDir();
  let database: TestDatabase;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    // Polling would find the event too, in ten minutes: delivery within seconds is Redis's doing.
    EVENT_POLL_INTERVAL_MS: '600000',
  };
  let a: ChildGateway;
  let b: ChildGateway;

  beforeAll(async () => {
    database = await freshDatabase(dir);
    Object.assign(env, database.env);
    a = await startChildGateway(env);
    b = await startChildGateway(env);
  });

  afterAll(async () => {
    for (const gw of [a, b]) {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an article published through one instance to a subscriber of the other, exactly once', async () => {
    const key = createKeyWithCli(env, 'editor');
    const client = connect(b.url);
    const received = subscribe(client, ArticlePublishedDocument, {});
    await waitForStreams(b.url, 1);
    const started = Date.now();
    const slug = await publishArticle(a.url, key, 'published-on-a');
    await received.waitFor(1, 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received.data.map((d) => d.articlePublished.article.slug)).toEqual([slug]);
    await client.dispose();
  });
});

describeWithRedis('subscriptions through a Redis outage (needs Redis: starts a private redis-server)', () => {
  const dir = tempDir();
  let database: TestDatabase;
  let redis: PrivateRedis;
  let a: ChildGateway;
  let b: ChildGateway;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await privateRedis();
    database = await freshDatabase(dir);
    env = {
      ...database.env,
      NODE_ENV: 'test',
      REDIS_URL: redis.url,
      EVENT_POLL_INTERVAL_MS: '600000',
    };
    a = await startChildGateway(env);
    b = await startChildGateway(env);
  });

  afterAll(async () => {
    for (const gw of [a, b]) {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
    redis.kill();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps subscribers connected, and once Redis is back delivers what was published meanwhile, in order, then live', async () => {
    const key = createKeyWithCli(env, 'editor');
    const client = connect(b.url);
    const received = subscribe(client, ArticlePublishedDocument, {});
    await waitForStreams(b.url, 1);

    redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await publishArticle(a.url, key, 'published-during-the-outage');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.data).toEqual([]);
    expect(received.completed).toBe(false);
    await waitForStreams(b.url, 1);

    await redis.start();
    // Both instances reconnect on their own; the next notification makes b read the log.
    let after = '';
    await waitFor(async () => {
      after = await publishArticle(a.url, key, `published-after-the-outage-${Date.now()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return received.data.length > 0;
    });
    const slugs = received.data.map((d) => d.articlePublished.article.slug);
    expect(slugs[0]).toBe(during);
    expect(slugs).toContain(after);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(a.output()).toMatch(/Redis is unreachable/);
    await client.dispose();
  });
});
