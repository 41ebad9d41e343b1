import type { EntityManager } from 'typeorm';
import { writeTransaction } from '../src/db/sql';
import { onPostgres } from './helpers/database';
import { GraphQLResponse, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

/**
 * Runs `meanwhile` while the translation request table cannot be written: on SQLite the test holds
 * the write transaction (which keeps reads out too), on PostgreSQL a lock on the table.
 */
function withWritesHeld<T>(gw: TestGateway, meanwhile: () => Promise<T>): Promise<T> {
  if (!onPostgres) return writeTransaction(gw.db, meanwhile);
  return gw.db.transaction(async (tx: EntityManager) => {
    await tx.query('LOCK TABLE translation_request IN EXCLUSIVE MODE');
    return meanwhile();
  });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a request past REQUEST_TIMEOUT_MS', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { REQUEST_TIMEOUT_MS: '300' } });
  });
  afterAll(() => gw.stop());

  it('is answered 503 TIMEOUT with a message that says a mutation may still be applied, as this one then is', async () => {
    const [{ id }] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
    const votes = () => gw.count('translation_request_reader');
    const before = await votes();
    const answer: GraphQLResponse<unknown> = await withWritesHeld(gw, () =>
      gw.raw(
        'mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "ko" }) { request { requestCount } } }',
        { id: Buffer.from(`Article:${id}`).toString('base64url') },
        { 'x-reader-id': 'late-reader' },
      ),
    );
    expect(answer.status).toBe(503);
    expect(answer.errors?.[0].extensions?.code).toBe('TIMEOUT');
    const message = answer.errors![0].message;
    expect(message).toMatch(/longer than 0\.3 s/);
    expect(message).toMatch(/mutation may still be applied/);
    expect(message).toMatch(/check .* before sending it again/);
    expect(message).not.toMatch(/was stopped/);
    // What the message warns of: the write, let through once the table is free, does commit.
    await until(async () => (await votes()) === before + 1, 'the late vote to be counted');
  });
});
