import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { startGateway, TestGateway } from './helpers/gateway';
import { PrivateRedis, privateRedis, redisAvailable, waitFor } from './helpers/redis';
import { REFERENCE_SLUG } from './helpers/seed-content';

/** One reader asks for the reference article in Japanese. */
async function askTranslation(gw: TestGateway, reader: string) {
  const [{ id }] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
  return gw.raw(
    'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { requestCount } } }',
    { id: Buffer.from(`Article:${id}`).toString('base64url') },
    { 'x-reader-id': reader },
  );
}

const describeWithRedis = redisAvailable() ? describe : describe.skip;

describeWithRedis('rate limits shared through Redis (needs Redis)', () => {
  const env = {
    REDIS_URL: 'redis://127.0.0.1:6379',
    // A fresh namespace per run: counters of an earlier run must not count here.
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    TRANSLATION_REQUESTS_PER_MINUTE: '10',
  };
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    a = await startGateway({ env });
    b = await startGateway({ env });
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  it('holds one client address to 10 a minute across two gateway instances', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await askTranslation(a, `a-${i}`)).errors).toBeUndefined();
      expect((await askTranslation(b, `b-${i}`)).errors).toBeUndefined();
    }
    const onA = await askTranslation(a, 'a-extra');
    const onB = await askTranslation(b, 'b-extra');
    expect(onA.errors![0].extensions!.code).toBe('RATE_LIMITED');
    expect(onB.errors![0].extensions!.code).toBe('RATE_LIMITED');
    expect(await a.count('translation_request_reader')).toBe(5);
    expect(await b.count('translation_request_reader')).toBe(5);
  });
});

describeWithRedis('a Redis outage (needs Redis: starts a private redis-server)', () => {
  let redis: PrivateRedis;
  let gw: TestGateway;
  const prefix = `outage-${randomUUID()}:`;

  beforeAll(async () => {
    redis = await privateRedis();
    gw = await startGateway({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, TRANSLATION_REQUESTS_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await gw.stop();
    redis.kill();
  });

  async function keys(): Promise<string[]> {
    const client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      return await client.keys(`${prefix}*`);
    } finally {
      client.disconnect();
    }
  }

  const ask = (reader: string) => askTranslation(gw, reader);

  it('keeps reads and writes working while Redis is down, and counts in Redis again once it is back', async () => {
    expect((await ask('before')).errors).toBeUndefined();
    expect((await keys()).length).toBeGreaterThan(0);

    redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    const during = await ask('during');
    expect(during.errors).toBeUndefined();
    expect((await gw.raw(`{ article(slug: "${REFERENCE_SLUG}") { title } }`)).data).toEqual({ article: { title: 'The Global Links Initiative Story' } });

    await redis.start();
    expect(await keys()).toEqual([]);
    await waitFor(async () => (await ask(`after-${randomUUID()}`)).errors === undefined && (await keys()).length > 0);
  });
});
