import Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { MAX_REGISTERED_QUERIES, REGISTRATIONS_PER_ADDRESS_PER_MINUTE } from '../src/graphql/persisted-query-cache';
import { startGateway, TestGateway } from './helpers/gateway';
import { redisAvailable, waitFor } from './helpers/redis';

const describeWithRedis = redisAvailable() ? describe : describe.skip;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A query of its own for each number: the same answer, another document to register. */
const queryNumber = (n: number) => `query Registered${n} { __typename }`;

describeWithRedis('automatic persisted queries in Redis (needs Redis)', () => {
  const prefix = `test-${randomUUID()}:`;
  let gw: TestGateway;
  let redis: Redis;
  beforeAll(async () => {
    // One proxy in front: the client address is the last X-Forwarded-For entry, so one test plays many clients.
    gw = await startGateway({ env: { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix, TRUST_PROXY: '1' } });
    redis = new Redis('redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await gw.stop();
  });

  async function send(body: Record<string, unknown>, address: string) {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  }

  /** The query and its hash, as a client sends it after a PERSISTED_QUERY_NOT_FOUND: answered, and registered if allowed. */
  async function register(n: number, address: string): Promise<void> {
    const query = queryNumber(n);
    const res = await send({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, address);
    expect(res).toEqual({ data: { __typename: 'Query' } });
  }

  /** Whether the hash alone finds the query. */
  async function registered(n: number): Promise<boolean> {
    const res = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(queryNumber(n)) } } }, '127.0.0.99');
    if (res.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') return false;
    expect(res).toEqual({ data: { __typename: 'Query' } });
    return true;
  }

  const storedQueries = async () => (await redis.keys(`${prefix}apq:apq:*`)).length;

  it('registers at most its share of queries a minute for one client address, and answers the rest without storing them (redis)', async () => {
    const limit = REGISTRATIONS_PER_ADDRESS_PER_MINUTE;
    for (let n = 0; n < limit + 5; n++) await register(n, '127.0.0.1');
    await waitFor(async () => (await storedQueries()) === limit);
    for (let n = 0; n < limit; n++) expect(await registered(n)).toBe(true);
    for (let n = limit; n < limit + 5; n++) expect(await registered(n)).toBe(false);

    // Another client registers as before.
    await register(limit, '127.0.0.2');
    await waitFor(() => registered(limit));
  });

  it('holds no more than its maximum of queries, whichever addresses send them (redis)', async () => {
    const perAddress = REGISTRATIONS_PER_ADDRESS_PER_MINUTE;
    const start = 1000;
    const total = MAX_REGISTERED_QUERIES + 2 * perAddress;
    for (let batch = 0; batch < total / perAddress; batch++) {
      const address = `127.1.${Math.floor(batch / 250)}.${batch % 250}`;
      await Promise.all(Array.from({ length: perAddress }, (_, i) => register(start + batch * perAddress + i, address)));
    }
    await waitFor(async () => (await redis.zcard(`${prefix}apq:registered`)) === MAX_REGISTERED_QUERIES);
    // Registrations are stored after the answer: give the last ones time to be refused.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await redis.zcard(`${prefix}apq:registered`)).toBe(MAX_REGISTERED_QUERIES);
    expect(await storedQueries()).toBe(MAX_REGISTERED_QUERIES);
    expect(await registered(start + total - 1)).toBe(false);
  });
});
