import { execute, query, writeTransaction } from '../src/db/sql';
import { describeOnSqlite } from './helpers/database';
import { startGateway, TestGateway } from './helpers/gateway';

// A full disk is what SQLite answers once the file may not grow (max_page_count): it then rolls the
// whole transaction back by itself, and the ROLLBACK that follows finds no transaction.
describeOnSqlite('a write that SQLite rolls back by itself (the disk is full)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.stop());

  async function fillTheFile(): Promise<() => Promise<void>> {
    const [{ page_count }] = await gw.db.query('PRAGMA page_count');
    await gw.db.query(`PRAGMA max_page_count = ${Number(page_count)}`);
    return async () => void (await gw.db.query('PRAGMA max_page_count = 1073741823'));
  }

  it('fails with its own cause, not with the ROLLBACK that found no transaction, and the next write succeeds', async () => {
    const release = await fillTheFile();
    let failure: unknown;
    try {
      await writeTransaction(gw.db, (tx) =>
        execute(tx, 'INSERT INTO app_setting (key, value) VALUES (:key, :value)', { key: 'large', value: 'x'.repeat(4_000_000) }),
      );
    } catch (err) {
      failure = err;
    } finally {
      await release();
    }
    expect(String(failure)).toMatch(/full/i);
    expect(String(failure)).not.toMatch(/no transaction/i);
    await writeTransaction(gw.db, (tx) => execute(tx, 'INSERT INTO app_setting (key, value) VALUES (:key, :value)', { key: 'after', value: 'ok' }));
    expect(await query(gw.db, "SELECT value FROM app_setting WHERE key IN ('large', 'after') ORDER BY key")).toEqual([{ value: 'ok' }]);
  });
});
