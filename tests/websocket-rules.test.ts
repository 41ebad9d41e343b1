import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { openRaw, RawSocket } from './helpers/raw-ws';
import { waitForStreams } from './helpers/ws';

// The graphql-transport-ws protocol spoken by hand, to check what the gateway does with clients
// that break it or push its limits.

let gw: TestGateway;
let keys: Keys;

const open = (): Promise<RawSocket> => openRaw(gw.url);

async function acknowledged(payload: Record<string, unknown> = {}): Promise<RawSocket> {
  const raw = await open();
  raw.send({ type: 'connection_init', payload });
  await raw.next((m) => m.type === 'connection_ack');
  return raw;
}

const SUBSCRIPTION = 'subscription { articlePublished { cursor } }';

beforeAll(async () => {
  gw = await startGateway();
  keys = await createKeys(gw.db);
});

afterAll(() => gw.stop());

describe('connection lifecycle', () => {
  it('closes a socket that sends no connection_init within 3 s with 4408', async () => {
    const raw = await open();
    const started = Date.now();
    expect((await raw.closed).code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  it('closes with 4403 when connection_init carries a key that is not valid or is revoked', async () => {
    for (const authorization of [`Bearer cgk_${'x'.repeat(43)}`, `Bearer ${keys.revokedEditor}`, 'Basic abc']) {
      const raw = await open();
      raw.send({ type: 'connection_init', payload: { authorization } });
      expect((await raw.closed).code).toBe(4403);
    }
  });

  it('accepts a reader without a key and an editor with one', async () => {
    for (const payload of [{}, bearer(keys.editor)]) {
      const raw = await acknowledged(payload);
      raw.socket.close();
    }
  });

  it('closes with 4401 on a subscribe before the acknowledgement, without opening a stream', async () => {
    const raw = await open();
    raw.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    expect((await raw.closed).code).toBe(4401);
    await waitForStreams(gw.url, 0);
  });

  it('closes with 4429 on a second connection_init', async () => {
    const raw = await acknowledged();
    raw.send({ type: 'connection_init' });
    expect((await raw.closed).code).toBe(4429);
  });

  it('closes with 4409 when an operation id is reused while it runs', async () => {
    const raw = await acknowledged();
    raw.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    await waitForStreams(gw.url, 1);
    raw.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    expect((await raw.closed).code).toBe(4409);
    await waitForStreams(gw.url, 0);
  });
});

describe('limits per socket', () => {
  it('allows 20 subscriptions on one socket; the 21st gets an error for its id, and completing frees a place', async () => {
    const raw = await acknowledged();
    for (let i = 1; i <= 20; i++) raw.send({ id: `s${i}`, type: 'subscribe', payload: { query: SUBSCRIPTION } });
    await waitForStreams(gw.url, 20);
    raw.send({ id: 's21', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    const refused = await raw.next((m) => m.id === 's21');
    expect(refused.type).toBe('error');
    expect((refused.payload as Array<{ extensions: { limit: string } }>)[0].extensions.limit).toBe('maxSubscriptions');
    await waitForStreams(gw.url, 20);

    raw.send({ id: 's1', type: 'complete' });
    await waitForStreams(gw.url, 19);
    raw.send({ id: 's22', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    await waitForStreams(gw.url, 20);
    raw.socket.close();
    await waitForStreams(gw.url, 0);
  });

  it('closes the socket with 1009 on a message over 64 KiB', async () => {
    const raw = await acknowledged();
    raw.send({ id: 'big', type: 'subscribe', payload: { query: `# ${'x'.repeat(70 * 1024)}\n${SUBSCRIPTION}` } });
    expect((await raw.closed).code).toBe(1009);
  });

  it('refuses an 11th socket from one address with 429 and accepts again once one closes', async () => {
    const sockets = await Promise.all(Array.from({ length: 10 }, () => open()));
    await expect(open()).rejects.toThrow(/429/);
    sockets[0].socket.close();
    await sockets[0].closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await open();
    for (const s of [again, ...sockets.slice(1)]) s.socket.close();
    await Promise.all([again, ...sockets.slice(1)].map((s) => s.closed));
  });
});

describe('operation limits apply to subscribe as to HTTP, before any SQL runs', () => {
  const cases: Array<[string, string, string]> = [
    ['depth', `subscription { articlePublished { article { ${'related { '.repeat(12)}id${' }'.repeat(12)} } } }`, 'maxDepth'],
    ['aliases', `subscription { articlePublished { ${Array.from({ length: 16 }, (_, i) => `a${i}: cursor`).join(' ')} } }`, 'maxAliases'],
    ['directives', `subscription { articlePublished { cursor ${'@include(if: true) '.repeat(51)} } }`, 'maxDirectives'],
    ['document size', `subscription { articlePublished { cursor } } # ${'x'.repeat(15_000)}`, 'maxDocumentChars'],
  ];

  it.each(cases)('%s', async (_name, query, limit) => {
    const raw = await acknowledged();
    const before = await gw.sqlStatements();
    raw.send({ id: 'x', type: 'subscribe', payload: { query } });
    const refused = await raw.next((m) => m.id === 'x');
    expect(refused.type).toBe('error');
    const [error] = refused.payload as Array<{ message: string; extensions: Record<string, unknown> }>;
    expect(error.extensions.limit).toBe(limit);
    expect(error.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await gw.sqlStatements()).toBe(before);
    await waitForStreams(gw.url, 0);
    raw.socket.close();
  });

  it('tokens', async () => {
    const raw = await acknowledged();
    const before = await gw.sqlStatements();
    raw.send({ id: 'x', type: 'subscribe', payload: { query: `subscription { articlePublished { ${'cursor '.repeat(2001)} } }` } });
    const refused = await raw.next((m) => m.id === 'x');
    const [error] = refused.payload as Array<{ message: string; extensions: Record<string, unknown> }>;
    expect(error.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(error.message).toMatch(/2000 tokens/);
    expect(await gw.sqlStatements()).toBe(before);
    raw.socket.close();
  });

  it('cost', async () => {
    const raw = await acknowledged();
    const before = await gw.sqlStatements();
    const query = 'subscription { articlePublished { article { related(first: 20) { related(first: 20) { related(first: 20) { authors { name } } } } } } }';
    raw.send({ id: 'x', type: 'subscribe', payload: { query } });
    const refused = await raw.next((m) => m.id === 'x');
    const [error] = refused.payload as Array<{ extensions: Record<string, unknown> }>;
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'maxCost' });
    expect(await gw.sqlStatements()).toBe(before);
    await waitForStreams(gw.url, 0);
    raw.socket.close();
  });
});
