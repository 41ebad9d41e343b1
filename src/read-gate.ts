/**
 * On SQLite every request shares one connection, so a read made while a write transaction is open
 * runs inside it and sees rows a rollback then takes back: on the sqlite3 driver a failed
 * updateArticle's new byline reached about one concurrent reader in ten. The gate keeps plain reads
 * and write transactions apart. A transaction waits for the reads already running and holds back
 * those that arrive meanwhile; when it ends, every read held back is let in before the next
 * transaction may begin, so neither side starves the other. Statements of the transaction itself
 * run on its own EntityManager and never meet the gate.
 */
export class ReadGate {
  private reading = 0;
  private writing = false;
  private heldBack: Array<() => void> = [];
  private drained: (() => void) | undefined;

  /** `maxWaitMs`: how long a read may be held back before it fails as SQLite's own busy timeout would. */
  constructor(private readonly maxWaitMs: number) {}

  /**
   * Undefined when the read may run now; else a promise of its turn. Either way, `leave()` once it
   * is done. A read held back too long fails "busy" (SERVICE_UNAVAILABLE to the client) rather than
   * wait for ever, as it would if a transaction's own code read outside its EntityManager.
   */
  enter(): Promise<void> | undefined {
    if (!this.writing) {
      this.reading += 1;
      return undefined;
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.heldBack.splice(this.heldBack.indexOf(admit), 1);
        reject(new Error(`SQLITE_BUSY: a read waited ${this.maxWaitMs} ms for a write transaction to end`));
      }, this.maxWaitMs);
      this.heldBack.push(admit);
    });
  }

  leave(): void {
    this.reading -= 1;
    if (this.reading === 0 && this.drained) {
      const resume = this.drained;
      this.drained = undefined;
      resume();
    }
  }

  /** Runs `work` with no read running beside it. One at a time: callers hold the write lock. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    this.writing = true;
    try {
      if (this.reading > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await work();
    } finally {
      this.writing = false;
      const admitted = this.heldBack;
      this.heldBack = [];
      this.reading += admitted.length;
      for (const resolve of admitted) resolve();
    }
  }
}
