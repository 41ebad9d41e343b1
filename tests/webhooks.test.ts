import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startChildGateway } from './helpers/child-gateway';
import { freshDatabase } from './helpers/database';
import { bearer, createKeys, Keys, snapshot } from './helpers/editors';
import { codes, startGateway, tempDir, TestGateway } from './helpers/gateway';
import { startReceiver, Receiver } from './helpers/receiver';
import { freePort } from './helpers/ports';
import { createKeyWithCli, post, publishArticle } from './helpers/remote';

const FAST_RETRIES = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '1000',
};

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url events active filter { section language } } } }`;
const DELIVERIES = `query { webhooks { id active disabledReason consecutiveFailures deliveries(first: 100) { eventId eventType status attempts lastStatusCode lastError nextAttemptAt deliveredAt } } }`;

interface Created {
  id: string;
  secret: string;
}

async function createWebhook(gw: TestGateway, key: string, input: Record<string, unknown>): Promise<Created> {
  const res = await gw.raw<{ createWebhook: { secret: string; webhook: { id: string } } }>(CREATE, { input }, bearer(key));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return { id: res.data!.createWebhook.webhook.id, secret: res.data!.createWebhook.secret };
}

async function deliveriesOf(gw: TestGateway, key: string, webhookId: string) {
  const res = await gw.raw<{ webhooks: Array<{ id: string; active: boolean; disabledReason: string | null; deliveries: Array<Record<string, any>> }> }>(DELIVERIES, {}, bearer(key));
  return res.data!.webhooks.find((w) => w.id === webhookId)!;
}

async function publishIn(gw: TestGateway, key: string, slug: string, section = 'News', language = 'en'): Promise<void> {
  const auth = bearer(key);
  const created = await gw.raw<{ createArticle: { id: string } }>(
    'mutation($slug: String!, $section: String, $language: String!) { createArticle(input: { slug: $slug, title: $slug, language: $language, section: $section }) { id } }',
    { slug, section, language },
    auth,
  );
  await gw.raw('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: created.data!.createArticle.id }, auth);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhook delivery', () => {
  let gw: TestGateway;
  let keys: Keys;
  const receivers: Receiver[] = [];
  async function receiver(status?: (i: number) => number): Promise<Receiver> {
    const r = await startReceiver(status);
    receivers.push(r);
    return r;
  }

  beforeAll(async () => {
    gw = await startGateway({ env: FAST_RETRIES });
    keys = await createKeys(gw.db);
  });
  afterAll(async () => {
    await gw.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers a publish as a signed POST the receiver can verify, carrying the event sequence number', async () => {
    const r = await receiver();
    const hook = await createWebhook(gw, keys.editor, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
    await publishIn(gw, keys.editor, 'signed-delivery');
    const [request] = await r.waitFor(1);
    const timestamp = request.headers['x-gateway-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', hook.secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
    expect(request.headers['x-gateway-signature']).toBe(expected);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
    const [{ id: sequence }] = await gw.db.query("SELECT id FROM event WHERE type = 'ARTICLE_PUBLISHED' ORDER BY id DESC LIMIT 1");
    expect(request.json).toMatchObject({ id: sequence, type: 'ARTICLE_PUBLISHED', article: { slug: 'signed-delivery', status: 'PUBLISHED' } });
    expect(request.headers['x-gateway-event-id']).toBe(String(sequence));
    expect(request.headers['x-gateway-event-type']).toBe('ARTICLE_PUBLISHED');
    await gw.raw('mutation($id: ID!) { disableWebhook(id: $id) { id } }', { id: hook.id }, bearer(keys.editor));
  });

  it('retries a failing receiver with exponential backoff: three failures, then success, and the log shows the attempts', async () => {
    const r = await receiver((i) => (i < 3 ? 500 : 200));
    const hook = await createWebhook(gw, keys.editor, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
    await publishIn(gw, keys.editor, 'flaky-receiver');
    const requests = await r.waitFor(4);
    const gaps = requests.slice(1).map((req, i) => req.at - requests[i].at);
    // Base 300 ms, doubling, plus up to 20% jitter; the poll interval (50 ms) and the work add a little.
    [300, 600, 1200].forEach((delay, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(delay - 5);
      expect(gaps[i]).toBeLessThanOrEqual(delay * 1.2 + 250);
    });
    expect(new Set(requests.map((q) => q.json.id)).size).toBe(1);
    await sleep(200);
    expect(r.requests).toHaveLength(4);
    const log = await deliveriesOf(gw, keys.editor, hook.id);
    expect(log.deliveries).toEqual([
      expect.objectContaining({ eventType: 'ARTICLE_PUBLISHED', status: 'DELIVERED', attempts: 4, lastStatusCode: 200, lastError: null, nextAttemptAt: null }),
    ]);
    await gw.raw('mutation($id: ID!) { disableWebhook(id: $id) { id } }', { id: hook.id }, bearer(keys.editor));
  });

  it('delivers nothing to a disabled webhook, and after enabling only what happens from then on', async () => {
    const r = await receiver();
    const hook = await createWebhook(gw, keys.editor, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
    await gw.raw('mutation($id: ID!) { disableWebhook(id: $id) { active } }', { id: hook.id }, bearer(keys.editor));
    await publishIn(gw, keys.editor, 'while-disabled');
    await sleep(500);
    expect(r.requests).toHaveLength(0);
    await gw.raw('mutation($id: ID!) { enableWebhook(id: $id) { active } }', { id: hook.id }, bearer(keys.editor));
    await publishIn(gw, keys.editor, 'after-enabling');
    await r.waitFor(1);
    await sleep(300);
    expect(r.requests.map((q) => q.json.article.slug)).toEqual(['after-enabling']);
    await gw.raw('mutation($id: ID!) { disableWebhook(id: $id) { id } }', { id: hook.id }, bearer(keys.editor));
  });

  it('holds its event types and filters', async () => {
    const r = await receiver();
    const hook = await createWebhook(gw, keys.editor, { url: r.url, events: ['ARTICLE_PUBLISHED'], filter: { section: 'Science', language: 'pt' } });
    await publishIn(gw, keys.editor, 'filter-tech-pt', 'Technology', 'pt-BR');
    await publishIn(gw, keys.editor, 'filter-science-en', 'Science', 'en');
    const [{ id }] = await gw.db.query("SELECT id FROM article WHERE slug = 'filter-science-en'");
    await gw.raw(
      'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "pt" }) { alreadyRequested } }',
      { id: Buffer.from(`Article:${id}`).toString('base64url') },
      { 'x-reader-id': 'filter-reader' },
    );
    await publishIn(gw, keys.editor, 'filter-science-pt', 'Science', 'pt-PT');
    await r.waitFor(1);
    await sleep(400);
    expect(r.requests.map((q) => q.json.article.slug)).toEqual(['filter-science-pt']);
    await gw.raw('mutation($id: ID!) { disableWebhook(id: $id) { id } }', { id: hook.id }, bearer(keys.editor));
  });

  it('redelivers one event, or every matching event after an event id, on request', async () => {
    const r = await receiver();
    const hook = await createWebhook(gw, keys.editor, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
    for (const slug of ['again-1', 'again-2', 'again-3']) await publishIn(gw, keys.editor, slug);
    const first = await r.waitFor(3);
    const ids = first.map((q) => q.json.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const one = await gw.raw<{ redeliverWebhookEvent: { status: string; attempts: number } }>(
      'mutation($w: ID!, $e: Int!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { status attempts } }',
      { w: hook.id, e: ids[1] },
      bearer(keys.editor),
    );
    expect(one.data!.redeliverWebhookEvent).toEqual({ status: 'PENDING', attempts: 0 });
    await r.waitFor(4);
    expect(r.requests[3].json.id).toBe(ids[1]);

    const many = await gw.raw<{ redeliverWebhookEventsAfter: number }>(
      'mutation($w: ID!, $e: Int!) { redeliverWebhookEventsAfter(webhookId: $w, afterEventId: $e) }',
      { w: hook.id, e: ids[0] },
      bearer(keys.editor),
    );
    expect(many.data!.redeliverWebhookEventsAfter).toBe(2);
    await r.waitFor(6);
    expect(r.requests.slice(4).map((q) => q.json.id)).toEqual([ids[1], ids[2]]);
    await gw.raw('mutation($id: ID!) { disableWebhook(id: $id) { id } }', { id: hook.id }, bearer(keys.editor));
  });
});

describe('a receiver that keeps failing', () => {
  it('disables the webhook after the configured run of failed attempts and says why', async () => {
    const gw = await startGateway({ env: { ...FAST_RETRIES, WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_DISABLE_AFTER_FAILURES: '3' } });
    const r = await startReceiver(() => 503);
    try {
      const keys = await createKeys(gw.db);
      const hook = await createWebhook(gw, keys.editor, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
      await publishIn(gw, keys.editor, 'never-acknowledged');
      await r.waitFor(3);
      await sleep(600);
      expect(r.requests).toHaveLength(3);
      const state = await deliveriesOf(gw, keys.editor, hook.id);
      expect(state.active).toBe(false);
      expect(state.disabledReason).toMatch(/3 failed attempts in a row.*HTTP 503/);
      expect(state.deliveries).toEqual([expect.objectContaining({ status: 'PENDING', attempts: 3, lastStatusCode: 503 })]);
    } finally {
      await gw.stop();
      await r.close();
    }
  });
});

describe('a gateway killed while deliveries are pending', () => {
  it('resumes them after a restart, in order, with nothing lost', async () => {
    const dir = tempDir();
    const database = await freshDatabase(dir);
    const env = { ...database.env, NODE_ENV: 'test', ...FAST_RETRIES, WEBHOOK_RETRY_BASE_MS: '200' };
    let gw = await startChildGateway(env);
    const key = createKeyWithCli(env, 'editor');
    // A free port with nothing on it yet: deliveries fail with "connection refused" until the receiver listens.
    const port = await freePort();
    const created = await post<{ createWebhook: { webhook: { id: string } } }>(
      gw.url,
      CREATE,
      { input: { url: `http://127.0.0.1:${port}/hook`, events: ['ARTICLE_PUBLISHED'] } },
      { authorization: `Bearer ${key}` },
    );
    expect(created.errors).toBeUndefined();
    const slugs = ['pending-1', 'pending-2', 'pending-3'];
    for (const slug of slugs) await publishArticle(gw.url, key, slug);
    await sleep(300);
    gw.child.kill('SIGKILL');
    await gw.exited;

    const r = await startReceiver(() => 200, port);
    try {
      gw = await startChildGateway(env);
      await r.waitFor(3, 15_000);
      await sleep(500);
      expect(r.requests.map((q) => q.json.article.slug)).toEqual(slugs);
      const ids = r.requests.map((q) => q.json.id as number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
      await r.close();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook URLs', () => {
  it('refuses loopback and private addresses unless WEBHOOK_ALLOW_PRIVATE_URLS is set, writing nothing', async () => {
    const gw = await startGateway();
    try {
      const keys = await createKeys(gw.db);
      const before = await snapshot(gw.db);
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://192.168.0.1/x', 'http://[::1]/x', 'http://169.254.169.254/latest', 'http://[::ffff:127.0.0.1]/x', 'http://0.0.0.0/x']) {
        const res = await gw.raw(CREATE, { input: { url, events: ['ARTICLE_PUBLISHED'] } }, bearer(keys.editor));
        expect(codes(res)).toEqual(['BAD_USER_INPUT']);
        expect(res.errors![0].extensions!.field).toBe('input.url');
      }
      expect(await snapshot(gw.db)).toBe(before);
    } finally {
      await gw.stop();
    }
  });
});

describe('a redelivery asked for while the delivery is in flight', () => {
  it('is sent again once the first attempt is answered, not marked done by that answer', async () => {
    const gw = await startGateway({ env: FAST_RETRIES });
    const received: Array<{ id: number }> = [];
    let answerFirst!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (answerFirst = resolve));
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        if (received.length === 1) void firstAnswered.then(() => res.writeHead(200).end());
        else res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const keys = await createKeys(gw.db);
      const { port } = receiver.address() as AddressInfo;
      const created = await gw.raw<{ createWebhook: { webhook: { id: string } } }>(
        CREATE,
        { input: { url: `http://127.0.0.1:${port}/`, events: ['ARTICLE_PUBLISHED'] } },
        bearer(keys.editor),
      );
      await publishIn(gw, keys.editor, 'redelivered-in-flight');
      while (received.length === 0) await sleep(10);
      const again = await gw.raw(
        'mutation($w: ID!, $e: Int!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { status } }',
        { w: created.data!.createWebhook.webhook.id, e: received[0].id },
        bearer(keys.editor),
      );
      expect(again.errors).toBeUndefined();
      answerFirst();
      for (let waited = 0; received.length < 2 && waited < 5000; waited += 20) await sleep(20);
      expect(received.map((r) => r.id)).toEqual([received[0].id, received[0].id]);
    } finally {
      answerFirst();
      await new Promise((resolve) => receiver.close(resolve));
      await gw.stop();
    }
  });
});

describe('the README receiver example (examples/webhook-receiver.js)', () => {
  it('accepts signed events once each and refuses unsigned or tampered requests', async () => {
    const gw = await startGateway({ env: FAST_RETRIES });
    const port = await freePort();
    const keys = await createKeys(gw.db);
    const created = await gw.raw<{ createWebhook: { secret: string; webhook: { id: string } } }>(
      CREATE,
      { input: { url: `http://127.0.0.1:${port}/`, events: ['ARTICLE_PUBLISHED'] } },
      bearer(keys.editor),
    );
    const { secret, webhook } = created.data!.createWebhook;
    const example = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'webhook-receiver.js'), path.join(gw.dir, 'seen')], {
      env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    example.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => example.stderr!.once('data', resolve));
    try {
      await publishIn(gw, keys.editor, 'received-by-example');
      const lines = async (n: number) => {
        const started = Date.now();
        while (out.split('\n').filter(Boolean).length < n) {
          if (Date.now() - started > 5000) throw new Error(`example printed: ${out}`);
          await sleep(20);
        }
        return out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      };
      const [first] = await lines(1);
      expect(first).toMatchObject({ type: 'ARTICLE_PUBLISHED', slug: 'received-by-example' });

      await gw.raw('mutation($w: ID!, $e: Int!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { status } }', { w: webhook.id, e: first.id }, bearer(keys.editor));
      expect((await lines(2))[1]).toEqual({ duplicate: String(first.id) });
      // The receiver answers before the gateway records the answer.
      let log = await deliveriesOf(gw, keys.editor, webhook.id);
      for (let tries = 0; log.deliveries[0].status === 'PENDING' && tries < 100; tries++) {
        await sleep(20);
        log = await deliveriesOf(gw, keys.editor, webhook.id);
      }
      expect(log.deliveries[0]).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200 });

      const body = JSON.stringify({ id: 999, type: 'ARTICLE_PUBLISHED' });
      const now = String(Math.floor(Date.now() / 1000));
      const forged = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'x-gateway-timestamp': now, 'x-gateway-signature': `sha256=${createHmac('sha256', 'wrong').update(`${now}.${body}`).digest('hex')}` },
        body,
      });
      expect(forged.status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body })).status).toBe(401);
    } finally {
      example.kill();
      await gw.stop();
    }
  });
});
