import fs from 'node:fs';
import { insertRows, toSqlTime, writeTransaction } from '../src/db/sql';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { freshDatabase } from './helpers/database';
import { bearer, createKeys } from './helpers/editors';
import { codes, startGateway, tempDir } from './helpers/gateway';
import { Receiver, startReceiver } from './helpers/receiver';
import { createKeyWithCli, post, publishArticle } from './helpers/remote';

const FAST_RETRIES = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '1000',
};

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`;
const REDELIVER_AFTER = 'mutation($w: ID!, $e: Int!) { redeliverWebhookEventsAfter(webhookId: $w, afterEventId: $e) }';
const DELIVERIES = `query { webhooks { id deliveries(first: 100) { eventId attempts lastStatusCode lastError } } }`;

type Post = (query: string, variables?: Record<string, unknown>) => Promise<{ data?: any; errors?: unknown[] }>;

async function createWebhook(send: Post, input: Record<string, unknown>): Promise<string> {
  const res = await send(CREATE, { input });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createWebhook.webhook.id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > ms) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

describe('a webhook delivery of an article that is no longer public', () => {
  it('carries only the article id and status, on a retry after it was unpublished and edited and on a redelivery', async () => {
    // Retries a second apart: the unpublish and the edit land well before the next attempt.
    const gw = await startGateway({ env: { ...FAST_RETRIES, WEBHOOK_RETRY_BASE_MS: '1000' } });
    let acknowledge = false;
    const r = await startReceiver(() => (acknowledge ? 200 : 500));
    try {
      const { editor } = await createKeys(gw.db);
      const send: Post = (query, variables) => gw.raw(query, variables, bearer(editor));
      const hook = await createWebhook(send, { url: r.url, events: ['ARTICLE_PUBLISHED', 'ARTICLE_UNPUBLISHED'] });
      const created = await send('mutation { createArticle(input: { slug: "shown-in-public", title: "Shown in public", language: "en", section: "News" }) { id } }');
      const id: string = created.data.createArticle.id;
      await send('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id });
      const [first] = await r.waitFor(1);
      expect(first.json.article).toMatchObject({ id, slug: 'shown-in-public', title: 'Shown in public', status: 'PUBLISHED' });

      await send('mutation($id: ID!) { unpublishArticle(id: $id) { id } }', { id });
      const edited = await send(
        'mutation($id: ID!) { updateArticle(id: $id, input: { slug: "secret-draft-slug", title: "Secret draft title", summary: "Secret draft summary" }) { status } }',
        { id },
      );
      expect(edited.data.updateArticle.status).toBe('DRAFT');
      const fromDraft = r.requests.length;
      acknowledge = true;
      await eventually('the unpublish delivered', async () => r.requests.map((q) => q.json.type), (types) => types.includes('ARTICLE_UNPUBLISHED'));

      const [{ id: publishedEvent }] = await gw.sql("SELECT id FROM event WHERE type = 'ARTICLE_PUBLISHED' ORDER BY id DESC LIMIT 1");
      const again = await send(REDELIVER_AFTER, { w: hook, e: Number(publishedEvent) - 1 });
      expect(again.data.redeliverWebhookEventsAfter).toBe(2);
      const all = await r.waitFor(fromDraft + 4);

      const sinceDraft = all.slice(fromDraft);
      expect(sinceDraft.map((q) => q.json.type)).toEqual(['ARTICLE_PUBLISHED', 'ARTICLE_UNPUBLISHED', 'ARTICLE_PUBLISHED', 'ARTICLE_UNPUBLISHED']);
      for (const q of sinceDraft) {
        expect(q.json.article).toEqual({ id, status: 'DRAFT' });
        expect(q.body).not.toMatch(/secret/i);
      }
    } finally {
      await gw.stop();
      await r.close();
    }
  });
});

describe('redelivering a long event log', () => {
  it('schedules it in transactions of bounded size, so that reads are answered while it runs', async () => {
    const gw = await startGateway({ env: FAST_RETRIES });
    const r = await startReceiver();
    try {
      const { editor } = await createKeys(gw.db);
      const [article] = await gw.sql("SELECT id, slug, language, section FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
      const now = toSqlTime(new Date());
      const events = Array.from({ length: 5000 }, () => ['ARTICLE_PUBLISHED', article.id, article.language, article.section, now]);
      await writeTransaction(gw.db, (tx) => insertRows(tx, 'event', ['type', 'article_id', 'language', 'section', 'created_at'], events));
      const send: Post = (query, variables) => gw.raw(query, variables, bearer(editor));
      const hook = await createWebhook(send, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
      const [{ n: total }] = await gw.sql("SELECT COUNT(*) AS n FROM event WHERE type = 'ARTICLE_PUBLISHED'");
      const [{ id: webhookRow }] = await gw.sql('SELECT id FROM webhook');

      // While it runs, one reader counts what is scheduled and another reads an article, each over and over.
      let finished = false;
      const counts: number[] = [];
      const readerAnswers: string[] = [];
      const watching = [
        (async () => {
          while (!finished) {
            const [{ n }] = await gw.sql('SELECT COUNT(*) AS n FROM webhook_delivery WHERE webhook_id = :id', { id: webhookRow });
            if (!finished) counts.push(Number(n));
            await new Promise(setImmediate);
          }
        })(),
        (async () => {
          while (!finished) {
            const res = await gw.raw('query($slug: String!) { article(slug: $slug) { id } }', { slug: article.slug });
            readerAnswers.push(res.errors ? JSON.stringify(res.errors) : 'answered');
          }
        })(),
      ];
      const redelivery = await send(REDELIVER_AFTER, { w: hook, e: 0 });
      finished = true;
      await Promise.all(watching);
      expect(redelivery.data).toEqual({ redeliverWebhookEventsAfter: Number(total) });
      // Readers see each batch once it is committed, while the rest is still to come.
      const partial = new Set(counts.filter((n) => n > 0 && n < Number(total)));
      expect(partial.size).toBeGreaterThanOrEqual(2);
      expect(new Set(readerAnswers)).toEqual(new Set(['answered']));
    } finally {
      await gw.stop();
      await r.close();
    }
  });
});

describe('webhook URLs given as IP literals', () => {
  it('refuses IPv6 addresses that are not global unicast, and accepts one that is', async () => {
    const gw = await startGateway();
    try {
      const { editor } = await createKeys(gw.db);
      for (const url of ['http://[4000::1]/x', 'http://[1::1]/x', 'http://[e000::1]/x']) {
        const res = await gw.raw(CREATE, { input: { url, events: ['ARTICLE_PUBLISHED'] } }, bearer(editor));
        expect(codes(res)).toEqual(['BAD_USER_INPUT']);
        expect(res.errors![0].extensions!.field).toBe('input.url');
      }
      const global = await gw.raw(CREATE, { input: { url: 'http://[2606:4700:4700::1111]/x', events: ['ARTICLE_PUBLISHED'] } }, bearer(editor));
      expect(global.errors).toBeUndefined();
    } finally {
      await gw.stop();
    }
  });

  it('are not delivered to once private addresses are no longer allowed: every attempt is refused before connecting', async () => {
    const dir = tempDir();
    const database = await freshDatabase(dir);
    const env = { ...database.env, NODE_ENV: 'test', ...FAST_RETRIES, WEBHOOK_RETRY_BASE_MS: '100' };
    const receivers: Receiver[] = [];
    let gw: ChildGateway | undefined;
    try {
      receivers.push(await startReceiver(), await startReceiver(undefined, 0, '::1'));
      gw = await startChildGateway(env);
      const key = createKeyWithCli(env, 'editor');
      const send: Post = (query, variables) => post(gw!.url, query, variables, bearer(key));
      for (const r of receivers) await createWebhook(send, { url: r.url, events: ['ARTICLE_PUBLISHED'] });
      await publishArticle(gw.url, key, 'while-allowed');
      for (const r of receivers) await r.waitFor(1);
      gw.child.kill('SIGTERM');
      await gw.exited;

      gw = await startChildGateway({ ...env, WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
      await publishArticle(gw.url, key, 'after-disallowing');
      const hooks = await eventually(
        'attempts to deliver the second publish',
        async () => (await send(DELIVERIES)).data.webhooks as Array<{ deliveries: Array<{ attempts: number; lastError: string | null }> }>,
        (list) => list.every((w) => w.deliveries[0].attempts >= 3) || receivers.some((r) => r.requests.length > 1),
      );
      expect(receivers.map((r) => r.requests.map((q) => q.json.article.slug))).toEqual([['while-allowed'], ['while-allowed']]);
      expect(hooks.map((w) => w.deliveries[0].lastError)).toEqual([
        'refused to connect to the private address 127.0.0.1',
        'refused to connect to the private address ::1',
      ]);
    } finally {
      gw?.child.kill('SIGTERM');
      await gw?.exited;
      await Promise.all(receivers.map((r) => r.close()));
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
