import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startChildGateway } from './helpers/child-gateway';
import { createPostgresDatabase, postgresAvailable } from './helpers/database';
import { tempDir } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

const ROOT = path.join(__dirname, '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');

/** The built gateway as `npm start` runs it (npm test builds first), in its own process. */
describe('npm start on a fresh machine', () => {
  it('creates, migrates and seeds the SQLite file, serves the reference page, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const sqlitePath = path.join(dir, 'nested', 'gateway.sqlite');
    const { url, child, exited } = await startChildGateway({ SQLITE_PATH: sqlitePath });
    expect(fs.existsSync(sqlitePath)).toBe(true);
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ article(slug: "${REFERENCE_SLUG}") { title related { slug } } }` }),
    });
    const body: any = await res.json();
    expect(body.data.article.title).toBe('The Global Links Initiative Story');
    expect(body.data.article.related).toHaveLength(3);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  (postgresAvailable() ? it : it.skip)(
    'with DATABASE_URL, three instances started at once on an empty PostgreSQL database migrate and seed it once (needs PostgreSQL)',
    async () => {
      const database = await createPostgresDatabase();
      try {
        const instances = await Promise.all([1, 2, 3].map(() => startChildGateway({ DATABASE_URL: database.url })));
        for (const { url } of instances) {
          const res = await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: `{ article(slug: "${REFERENCE_SLUG}") { title related { slug } } articles { totalCount } }` }),
          });
          const body: any = await res.json();
          expect(body.data.article.title).toBe('The Global Links Initiative Story');
          expect(body.data.article.related).toHaveLength(3);
          expect(body.data.articles.totalCount).toBe(4);
        }
        expect(instances.map((i) => i.output()).join('').match(/loaded the reference content/g)).toHaveLength(1);
        for (const { child, exited } of instances) {
          child.kill('SIGTERM');
          expect(await exited).toBe(0);
        }
      } finally {
        await database.drop();
      }
    },
  );

  it('refuses to start with a bad setting and names it', () => {
    const result = spawnSync(process.execPath, [MAIN], { cwd: ROOT, env: { ...process.env, PORT: 'abc' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('PORT="abc"');
  });
});
