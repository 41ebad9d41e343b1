import { ConfigError, loadConfig } from '../src/config';
import { startGateway, TestGateway } from './helpers/gateway';
import { freePort } from './helpers/ports';

// The gateway under test always listens on 127.0.0.1; HOST in its configuration says which kind
// of install it is, and so whether the main port may serve /metrics without a token.

const TOKEN = 'metrics-token-0123456789';
const SERIES = /^gateway_sql_statements_total \d+$/m;

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

async function answered(gw: TestGateway): Promise<void> {
  const res = await gw.raw<{ licenses: unknown[] }>('{ licenses { key } }');
  expect(res.data?.licenses.length).toBeGreaterThan(0);
}

describe('GET /metrics', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });

  it('is served on the main port of an install on loopback, as by default', async () => {
    gw = await startGateway();
    const res = await get(`${gw.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(SERIES);
  });

  it('is not served on the main port of an install on another interface, with neither METRICS_PORT nor METRICS_TOKEN', async () => {
    gw = await startGateway({ env: { HOST: '0.0.0.0' } });
    expect((await get(`${gw.url}/metrics`)).status).toBe(404);
    await answered(gw);
  });

  it('with METRICS_TOKEN, answers 401 on the main port without the bearer token, and the metrics with it', async () => {
    gw = await startGateway({ env: { HOST: '0.0.0.0', METRICS_TOKEN: TOKEN } });
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }, { authorization: `Bearer ${TOKEN}x` }];
    for (const headers of attempts) {
      const refused = await get(`${gw.url}/metrics`, headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await refused.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const res = await get(`${gw.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(SERIES);
    expect(await gw.sqlStatements()).toBeGreaterThan(0);
  });

  it('with METRICS_PORT, is served on that port of the same host, and the main port answers 404 for it', async () => {
    const port = await freePort();
    gw = await startGateway({ env: { METRICS_PORT: String(port) } });
    expect((await get(`${gw.url}/metrics`)).status).toBe(404);
    await answered(gw);
    const res = await get(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^gateway_graphql_requests_total\{operation="anonymous",outcome="ok"\} 1$/m);
    expect(await gw.sqlStatements()).toBeGreaterThan(0);
    // That port serves nothing else.
    for (const path of ['/graphql', '/healthz', '/']) expect((await get(`http://127.0.0.1:${port}${path}`)).status).toBe(404);
    await gw.stop();
    gw = undefined;
    await expect(get(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('with METRICS_PORT and METRICS_TOKEN, asks for the token on that port', async () => {
    const port = await freePort();
    gw = await startGateway({ env: { METRICS_PORT: String(port), METRICS_TOKEN: TOKEN } });
    expect((await get(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    expect((await get(`http://127.0.0.1:${port}/metrics`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await get(`${gw.url}/metrics`, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });
});

describe('metrics settings', () => {
  it('refuse a METRICS_PORT that is the main port, and a short METRICS_TOKEN without showing it', () => {
    expect(() => loadConfig({ PORT: '9100', METRICS_PORT: '9100' })).toThrow(/METRICS_PORT=9100: must differ from PORT/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });
});
