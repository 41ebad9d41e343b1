import { startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

/** One translation request by a new reader, arriving through a proxy that says it came from `forwardedFor`. */
async function ask(gw: TestGateway, reader: string, forwardedFor: string) {
  const [{ id }] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
  const res = await gw.raw(
    'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ja" }) { request { id } } }',
    { id: Buffer.from(`Article:${id}`).toString('base64url') },
    { 'x-reader-id': reader, 'x-forwarded-for': forwardedFor },
  );
  return res.errors?.[0]?.extensions?.code ?? 'ok';
}

describe('the client address behind a load balancer', () => {
  let gw: TestGateway;
  afterEach(() => gw.stop());

  it('with TRUST_PROXY=1, limits each client by the address the balancer saw, whatever the client wrote before it', async () => {
    gw = await startGateway({ env: { TRUST_PROXY: '1', TRANSLATION_REQUESTS_PER_MINUTE: '2' } });
    expect(await ask(gw, 'r1', '203.0.113.1')).toBe('ok');
    expect(await ask(gw, 'r2', '198.51.100.7, 203.0.113.1')).toBe('ok');
    expect(await ask(gw, 'r3', '192.0.2.99, 203.0.113.1')).toBe('RATE_LIMITED');
    expect(await ask(gw, 'r4', '203.0.113.2')).toBe('ok');
  });

  it('without it, ignores X-Forwarded-For: a client cannot escape its limit by writing one', async () => {
    gw = await startGateway({ env: { TRANSLATION_REQUESTS_PER_MINUTE: '2' } });
    expect(await ask(gw, 'r1', '203.0.113.1')).toBe('ok');
    expect(await ask(gw, 'r2', '203.0.113.2')).toBe('ok');
    expect(await ask(gw, 'r3', '203.0.113.3')).toBe('RATE_LIMITED');
  });
});
