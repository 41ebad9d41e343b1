import type { DataSource } from 'typeorm';
import { contentSnapshot } from '../db/sql';

/**
 * Which state of the content an answer was computed from. The response cache keys every answer by
 * the version current when its request began, so an answer computed across a change is stored
 * where no later request looks, and the first request after a committed change, wherever it was
 * made, computes afresh. The version is the database's own (see contentSnapshot): it moves with
 * every commit that wrote anything, by this gateway, another instance, a CLI or SQL by hand.
 */
export class ContentVersion {
  private last: string | undefined;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly db: DataSource) {}

  async current(): Promise<string> {
    const value = await contentSnapshot(this.db);
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
