import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { admin, createPostgresDatabase, PostgresDatabase, postgresAvailable } from './helpers/database';
import { post } from './helpers/remote';
import { REFERENCE_SLUG } from './helpers/seed-content';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

/**
 * The database goes away under a running gateway: every connection is cut and new ones are refused
 * (ALLOW_CONNECTIONS false), as when the server is stopped, without stopping the shared server.
 */
describeWithPostgres('a PostgreSQL outage (needs PostgreSQL)', () => {
  let database: PostgresDatabase;
  let gw: ChildGateway;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // Without the response cache: a page it kept would still be served during the outage, which
    // is what a reader wants but not what this test looks at.
    gw = await startChildGateway({ DATABASE_URL: database.url, NODE_ENV: 'production', RESPONSE_CACHE_MB: '0' });
  });
  afterAll(async () => {
    await admin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    gw.child.kill('SIGTERM');
    await gw.exited;
    await database.drop();
  });

  const page = () => post<{ article: { title: string } }>(gw.url, `{ article(slug: "${REFERENCE_SLUG}") { title } }`);

  it('fails requests fast with SERVICE_UNAVAILABLE and no detail, stays up and not ready, and serves again without a restart once it is back', async () => {
    expect((await page()).data!.article.title).toBe('The Global Links Initiative Story');

    await admin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}'`);
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const res = await page();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.data?.article ?? null).toBeNull();
      expect(res.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: 5 });
      expect(res.errors![0].message).not.toMatch(/postgres|connect|database|ALLOW/i);
    }
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect(gw.child.exitCode).toBeNull();

    await admin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    const back = Date.now();
    for (;;) {
      const res = await page();
      if (res.data?.article) break;
      expect(Date.now() - back).toBeLessThan(5000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  });
});
