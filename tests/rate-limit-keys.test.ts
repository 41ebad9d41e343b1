import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { startGateway, TestGateway } from './helpers/gateway';
import { redisAvailable } from './helpers/redis';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { slowRequest } from './helpers/slow-request';
import { wsUrl } from './helpers/ws';

// Clients arrive through one trusted proxy (TRUST_PROXY=1), which is how a test can speak from
// many addresses: X-Forwarded-For says where each request came from.

/** One translation request by `reader`, from `address`; the error code, or 'ok'. */
async function ask(gw: TestGateway, reader: string, address: string): Promise<unknown> {
  const [{ id }] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
  const res = await gw.raw(
    'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { id } } }',
    { id: Buffer.from(`Article:${id}`).toString('base64url') },
    { 'x-reader-id': reader, 'x-forwarded-for': address },
  );
  return res.errors?.[0]?.extensions?.code ?? 'ok';
}

/** Whether a WebSocket from `address` is let in (true) or refused at the upgrade (its HTTP status). */
function openSocket(gw: TestGateway, address: string): Promise<{ socket?: WebSocket; refused?: number }> {
  const socket = new WebSocket(wsUrl(gw.url), 'graphql-transport-ws', { headers: { 'x-forwarded-for': address } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode }));
    socket.once('error', reject);
  });
}

describe('per-client limits of IPv6 clients', () => {
  let gw: TestGateway;
  afterEach(() => gw.stop());

  it('count every address of one /64 as one client for translation requests', async () => {
    gw = await startGateway({ env: { TRUST_PROXY: '1', TRANSLATION_REQUESTS_PER_MINUTE: '2' } });
    expect(await ask(gw, 'v6-1', '2001:db8:1:2::1')).toBe('ok');
    expect(await ask(gw, 'v6-2', '2001:db8:1:2::2')).toBe('ok');
    expect(await ask(gw, 'v6-3', '2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('RATE_LIMITED');
    expect(await ask(gw, 'v6-4', '2001:DB8:1:2:0:0:0:abcd')).toBe('RATE_LIMITED');
    // The next /64 is another client.
    expect(await ask(gw, 'v6-5', '2001:db8:1:3::1')).toBe('ok');
    // IPv4 clients, written plainly or IPv4-mapped, are each their own address.
    expect(await ask(gw, 'v4-1', '203.0.113.1')).toBe('ok');
    expect(await ask(gw, 'v4-2', '::ffff:203.0.113.1')).toBe('ok');
    expect(await ask(gw, 'v4-3', '203.0.113.1')).toBe('RATE_LIMITED');
    expect(await ask(gw, 'v4-4', '::ffff:203.0.113.2')).toBe('ok');
  });

  it('count every address of one /64 as one client for requests in flight', async () => {
    gw = await startGateway({ env: { TRUST_PROXY: '1', MAX_CONCURRENT_REQUESTS_PER_ADDRESS: '1' } });
    const body = JSON.stringify({ query: '{ licenses { key } }' });
    const held = await slowRequest(gw.url, body, { 'x-forwarded-for': '2001:db8:5:6::1' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const send = (address: string) =>
      fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body });
    expect((await send('2001:db8:5:6:aaaa::2')).status).toBe(429);
    expect((await send('2001:db8:5:7::1')).status).toBe(200);
    expect(await held.finish()).toMatch(/^HTTP\/1\.1 200/);
    expect((await send('2001:db8:5:6:aaaa::2')).status).toBe(200);
  });

  it('count every address of one /64 as one client for open WebSockets', async () => {
    gw = await startGateway({ env: { TRUST_PROXY: '1', WS_MAX_SOCKETS_PER_ADDRESS: '1' } });
    const first = await openSocket(gw, '2001:db8:9:9::1');
    try {
      expect(first.socket).toBeDefined();
      expect(await openSocket(gw, '2001:db8:9:9::2')).toEqual({ refused: 429 });
      const elsewhere = await openSocket(gw, '2001:db8:9:a::1');
      expect(elsewhere.socket).toBeDefined();
      elsewhere.socket!.close();
    } finally {
      first.socket?.close();
    }
  });
});

describe('translation requests refused for their address', () => {
  let gw: TestGateway;
  afterEach(() => gw.stop());

  it('cost the reader nothing: the same reader is served from another address', async () => {
    gw = await startGateway({ env: { TRUST_PROXY: '1', TRANSLATION_REQUESTS_PER_MINUTE: '2' } });
    expect(await ask(gw, 'busy-1', '198.51.100.1')).toBe('ok');
    expect(await ask(gw, 'busy-2', '198.51.100.1')).toBe('ok');
    expect(await ask(gw, 'traveller', '198.51.100.1')).toBe('RATE_LIMITED');
    expect(await ask(gw, 'traveller', '198.51.100.1')).toBe('RATE_LIMITED');
    expect(await ask(gw, 'traveller', '198.51.100.2')).toBe('ok');
  });
});

const describeWithRedis = redisAvailable() ? describe : describe.skip;

describeWithRedis('translation requests refused for their address, with Redis (needs Redis)', () => {
  it('leave no counter behind for the reader ids they carried', async () => {
    const prefix = `keys-${randomUUID()}:`;
    const gw = await startGateway({
      env: { TRUST_PROXY: '1', TRANSLATION_REQUESTS_PER_MINUTE: '1', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix },
    });
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      expect(await ask(gw, 'first', '198.51.100.9')).toBe('ok');
      for (let i = 0; i < 5; i++) expect(await ask(gw, `made-up-${i}`, '198.51.100.9')).toBe('RATE_LIMITED');
      expect(await redis.keys(`${prefix}translation-reader*`)).toHaveLength(1);
    } finally {
      redis.disconnect();
      await gw.stop();
    }
  });
});
