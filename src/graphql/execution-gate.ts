import { Semaphore } from 'async-mutex';

/**
 * At most `limit` GraphQL queries and mutations (over HTTP or a WebSocket) executing at once; the
 * rest wait their turn in arrival order, having cost no more than their body or message. On a
 * driver whose statements await a thread (sqlite3) or the network, every request in flight holds
 * what it has built so far across each await; with many of them interleaved, that outlives V8's
 * young-generation collections and is copied and promoted, so the same work runs slower. A subscription replaying older events takes a turn for each batch it reads
 * (see event-feed.ts). 0 means no limit.
 */
export class ExecutionGate {
  private readonly semaphore: Semaphore | undefined;
  private queued = 0;
  private executing = 0;

  constructor(readonly limit: number) {
    this.semaphore = limit > 0 ? new Semaphore(limit) : undefined;
  }

  /** Requests waiting for their turn. */
  get waiting(): number {
    return this.queued;
  }

  /** Requests executing now (counted only where there is a limit). */
  get running(): number {
    return this.executing;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.semaphore) return work();
    this.queued += 1;
    return this.semaphore.runExclusive(async () => {
      this.queued -= 1;
      this.executing += 1;
      try {
        return await work();
      } finally {
        this.executing -= 1;
      }
    });
  }
}
