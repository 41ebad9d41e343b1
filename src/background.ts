import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * Runs work that no client request asked for (reading the event log, delivering webhooks) on a
 * query runner marked as background, so that its SQL is counted apart: the request statement
 * counter must say what requests cost. An explicit mark rather than AsyncLocalStorage, which on
 * Node 20 slows every promise in the process once it is used.
 */
export async function inBackground<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  markBackground(runner);
  try {
    return await work(runner.manager);
  } finally {
    await runner.release();
  }
}

export function markBackground(runner: QueryRunner): void {
  runner.data = { ...runner.data, background: true };
}

export function isBackground(runner: QueryRunner | undefined): boolean {
  return (runner?.data as { background?: boolean } | undefined)?.background === true;
}
