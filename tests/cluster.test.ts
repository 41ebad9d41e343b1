import { createHash, randomUUID } from 'node:crypto';
import { ArticlePublishedDocument } from '../client/generated/graphql';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { createPostgresDatabase, PostgresDatabase, postgresAvailable, queryDatabase } from './helpers/database';
import { createKeyWithCli, post, publishArticle } from './helpers/remote';
import { startReceiver } from './helpers/receiver';
import { redisAvailable } from './helpers/redis';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { connect, subscribe, waitForStreams } from './helpers/ws';

const describeWithBoth = postgresAvailable() && redisAvailable() ? describe : describe.skip;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithBoth('three gateway instances on one PostgreSQL and one Redis (needs PostgreSQL and Redis)', () => {
  let database: PostgresDatabase;
  let env: Record<string, string>;
  let a: ChildGateway;
  let b: ChildGateway;
  let c: ChildGateway;
  let key: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `cluster-${randomUUID()}:`,
      NODE_ENV: 'test',
      // Polling would find events too, in ten minutes: delivery within seconds is Redis's doing.
      EVENT_POLL_INTERVAL_MS: '600000',
      TRANSLATION_REQUESTS_PER_MINUTE: '4',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    };
    [a, b, c] = await Promise.all([startChildGateway(env), startChildGateway(env), startChildGateway(env)]);
    key = createKeyWithCli({ DATABASE_URL: database.url }, 'editor');
  });

  afterAll(async () => {
    for (const gw of [a, b, c]) {
      if (gw?.child.exitCode === null) {
        gw.child.kill('SIGTERM');
        await gw.exited;
      }
    }
    await database.drop();
  });

  it('delivers an article published through C to subscribers on A and B, exactly once each', async () => {
    const onA = connect(a.url);
    const onB = connect(b.url);
    const seenOnA = subscribe(onA, ArticlePublishedDocument, {});
    const seenOnB = subscribe(onB, ArticlePublishedDocument, {});
    await waitForStreams(a.url, 1);
    await waitForStreams(b.url, 1);
    const slug = await publishArticle(c.url, key, 'published-through-c');
    await seenOnA.waitFor(1, 3000);
    await seenOnB.waitFor(1, 3000);
    await sleep(1000);
    expect(seenOnA.data.map((d) => d.articlePublished.article.slug)).toEqual([slug]);
    expect(seenOnB.data.map((d) => d.articlePublished.article.slug)).toEqual([slug]);
    await onA.dispose();
    await onB.dispose();
  });

  it("holds one reader's translation requests to the limit across all three instances", async () => {
    const article = await post<{ article: { id: string } }>(a.url, `{ article(slug: "${REFERENCE_SLUG}") { id } }`);
    const ask = (gw: ChildGateway, language: string) =>
      post(gw.url, 'mutation($id: ID!, $language: String!) { requestTranslation(input: { articleId: $id, language: $language }) { request { requestCount } } }', {
        id: article.data!.article.id,
        language,
      }, { 'x-reader-id': 'one-reader' });
    const answers = [];
    for (const [gw, language] of [[a, 'ja'], [b, 'de'], [c, 'fr'], [a, 'it'], [b, 'es'], [c, 'nl']] as const) answers.push(await ask(gw, language));
    expect(answers.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('shares persisted queries: a hash registered through A is found through B and C', async () => {
    const query = `{ article(slug: "${REFERENCE_SLUG}") { title } }`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const byHash = (gw: ChildGateway) =>
      fetch(`${gw.url}/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery }))}`, {
        headers: { 'apollo-require-preflight': 'true' },
      }).then((res) => res.json() as Promise<any>);
    expect((await byHash(b)).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery } }),
    });
    expect(((await registered.json()) as any).data.article.title).toBe('The Global Links Initiative Story');
    for (const gw of [b, c]) expect((await byHash(gw)).data.article.title).toBe('The Global Links Initiative Story');
  });

  it('delivers each webhook event once and in order, though all three instances dispatch', async () => {
    const receiver = await startReceiver();
    try {
      const created = await post(
        a.url,
        'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }',
        { input: { url: receiver.url, events: ['ARTICLE_PUBLISHED'] } },
        { authorization: `Bearer ${key}` },
      );
      expect(created.errors).toBeUndefined();
      const slugs: string[] = [];
      for (const [i, gw] of [a, b, c, a, b, c].entries()) slugs.push(await publishArticle(gw.url, key, `hooked-${i}`));
      await receiver.waitFor(slugs.length);
      await sleep(1500);
      expect(receiver.requests.map((r) => r.json.article.slug)).toEqual(slugs);
    } finally {
      await receiver.close();
    }
  });

  it('loses no acknowledged write when an instance is killed mid-stream, and the others keep serving', async () => {
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const slug = `during-the-kill-${lane}-${i}`;
        try {
          const res = await post<{ createArticle: { id: string } }>(
            b.url,
            'mutation($slug: String!) { createArticle(input: { slug: $slug, title: $slug, language: "en" }) { id } }',
            { slug },
            { authorization: `Bearer ${key}` },
          );
          if (res.data?.createArticle?.id) acknowledged.push(slug);
        } catch {
          return;
        }
      }
    };
    const lanes = Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(writer));
    while (acknowledged.length < 30) await sleep(10);
    b.child.kill('SIGKILL');
    await b.exited;
    stop = true;
    await lanes;

    const rows = await queryDatabase<{ slug: string }>(database.url, 'SELECT slug FROM article WHERE slug = ANY($1)', [acknowledged]);
    expect(rows.map((r) => r.slug).sort()).toEqual([...acknowledged].sort());

    for (const gw of [a, c]) {
      const res = await post<{ articles: { totalCount: number } }>(gw.url, '{ articles(first: 1) { totalCount } }');
      expect(res.errors).toBeUndefined();
      expect(res.data!.articles.totalCount).toBeGreaterThan(0);
      expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    }
    const onA = connect(a.url);
    const seen = subscribe(onA, ArticlePublishedDocument, {});
    await waitForStreams(a.url, 1);
    const slug = await publishArticle(c.url, key, 'after-the-kill');
    await seen.waitFor(1, 3000);
    expect(seen.data.map((d) => d.articlePublished.article.slug)).toEqual([slug]);
    await onA.dispose();
  });
});
