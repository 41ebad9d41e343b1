import { ArticlePublishedDocument } from '../client/generated/graphql';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { createPostgresDatabase, PostgresDatabase, postgresAvailable, queryDatabase } from './helpers/database';
import { createKeyWithCli, post } from './helpers/remote';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { connect, subscribe, waitForStreams } from './helpers/ws';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

const sql = queryDatabase;

/**
 * A "replica" here is a second database that differs from the primary in one visible way (every
 * title ends in "(replica)"), so that each answer shows where it was read. Real streaming replication needs a
 * second server; what is tested is the routing, which is the gateway's part.
 */
describeWithPostgres('read replicas (DATABASE_REPLICA_URLS; needs PostgreSQL)', () => {
  let primary: PostgresDatabase;
  let replica: PostgresDatabase;
  let gw: ChildGateway;
  let key: string;
  let articleId: string;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([createPostgresDatabase(), createPostgresDatabase()]);
    for (const database of [primary, replica]) {
      const seeding = await startChildGateway({ DATABASE_URL: database.url });
      seeding.child.kill('SIGTERM');
      await seeding.exited;
    }
    await sql(replica.url, "UPDATE article SET title = title || ' (replica)'");
    gw = await startChildGateway({ DATABASE_URL: primary.url, DATABASE_REPLICA_URLS: replica.url, NODE_ENV: 'test' });
    key = createKeyWithCli({ DATABASE_URL: primary.url }, 'editor');
    articleId = (await post<{ article: { id: string } }>(gw.url, `{ article(slug: "${REFERENCE_SLUG}") { id } }`)).data!.article.id;
  });

  afterAll(async () => {
    gw.child.kill('SIGTERM');
    await gw.exited;
    await primary.drop();
    await replica.drop();
  });

  const RELATED = 'related { title }';

  it('answers queries from the replica', async () => {
    const res = await post<any>(gw.url, `{ article(slug: "${REFERENCE_SLUG}") { title ${RELATED} } }`);
    expect(res.data.article.title).toMatch(/\(replica\)$/);
    expect(res.data.article.related).toHaveLength(3);
    for (const related of res.data.article.related) expect(related.title).toMatch(/\(replica\)$/);
  });

  it('writes to the primary and answers a mutation with what the primary holds', async () => {
    const res = await post<any>(
      gw.url,
      `mutation($id: ID!) { updateArticle(id: $id, input: { section: "Replicated" }) { section ${RELATED} } }`,
      { id: articleId },
      { authorization: `Bearer ${key}` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateArticle.section).toBe('Replicated');
    expect(res.data.updateArticle.related).toHaveLength(3);
    for (const related of res.data.updateArticle.related) expect(related.title).not.toMatch(/\(replica\)/);
    expect(await sql(primary.url, 'SELECT section FROM article WHERE slug = $1', [REFERENCE_SLUG])).toEqual([{ section: 'Replicated' }]);
    expect(await sql(replica.url, 'SELECT section FROM article WHERE slug = $1', [REFERENCE_SLUG])).not.toEqual([{ section: 'Replicated' }]);
  });

  it('resolves subscription events on the primary, which wrote them', async () => {
    const client = connect(gw.url);
    const seen = subscribe(client, ArticlePublishedDocument, {});
    await waitForStreams(gw.url, 1);
    const created = await post<any>(
      gw.url,
      'mutation { createArticle(input: { slug: "only-on-the-primary", title: "Only on the primary", language: "en" }) { id } }',
      {},
      { authorization: `Bearer ${key}` },
    );
    await post(gw.url, 'mutation($id: ID!) { publishArticle(id: $id) { status } }', { id: created.data.createArticle.id }, { authorization: `Bearer ${key}` });
    const [event] = await seen.waitFor(1, 5000);
    expect(event.articlePublished.article.slug).toBe('only-on-the-primary');
    await client.dispose();
  });
});
