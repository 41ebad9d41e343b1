import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { dataVersion, onCommit } from '../db/sql';
import type { Logger } from '../observability/logger';

/**
 * Which state of the content an answer was computed from. The response cache keys every answer by
 * the version current when its request began, so an answer computed across a change is stored
 * where no later request looks, and the first request after a committed change, wherever it was
 * made, computes afresh:
 * - on SQLite the shared part is the file's `data_version`, which moves with every commit by any
 *   connection: this gateway's writes, another gateway's or a CLI's on the same file;
 * - on PostgreSQL with Redis it is a counter every instance increments after each commit, before
 *   the write answers;
 * - `changed()` counts this instance's commits, which is all a lone PostgreSQL instance has.
 */
export class ContentVersion {
  private local = 0;
  private last: string | undefined;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly shared: () => Promise<string>) {}

  changed(): void {
    this.local += 1;
  }

  async current(): Promise<string> {
    const value = `${this.local} ${await this.shared()}`;
    if (value !== this.last) {
      if (this.last !== undefined) for (const listener of this.listeners) listener();
      this.last = value;
    }
    return value;
  }

  /** Called when a request finds the version moved on: entries under older versions are never read again. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

/** What the response cache keys answers by (see content-version.ts), told of every commit this instance makes. */
export function contentVersion(db: DataSource, shared: { client: Redis; key: string } | undefined, log: Logger): ContentVersion {
  const onPostgres = db.options.type === 'postgres';
  let unavailable = 0;
  const version = new ContentVersion(async () => {
    if (!onPostgres) return String(await dataVersion(db));
    if (!shared) return '';
    try {
      return (await shared.client.get(shared.key)) ?? '0';
    } catch {
      // Without the counter another instance's change could go unseen: no answer is reused meanwhile.
      return `unavailable ${++unavailable}`;
    }
  });
  onCommit(db, async () => {
    version.changed();
    if (!onPostgres || !shared) return;
    try {
      await shared.client.incr(shared.key);
    } catch (err) {
      log.warn({ err }, 'the content version in Redis could not be moved on: other instances may serve cached answers older than this write');
    }
  });
  return version;
}
