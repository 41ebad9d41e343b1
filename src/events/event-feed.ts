import type { DataSource } from 'typeorm';
import type { ContentEvent } from '../../entities/event.entity';
import type { ExecutionGate } from '../graphql/execution-gate';
import type { Logger } from '../observability/logger';
import { lastSequence, readEventsAfter } from './event-log';
import { SharedWork } from './shared-work';

const READ_BATCH = 500;
const STREAM_BATCH = 100;

export interface EventFeedOptions {
  /** A connection of its own (see openBackgroundConnection), where the feed reads new events: it sees committed ones only. */
  db: DataSource;
  log: Logger;
  /** How often the log is read while anyone listens, for events no notification announced. */
  pollIntervalMs: number;
  /** How many recent events are kept in memory for streams that are slightly behind. */
  memory?: number;
  replay: ReplayLimits;
}

/**
 * A stream that starts before the events kept in memory reads the older ones from the database
 * ("replays") in batches, which for a stream from the log's beginning is the whole log. Replays
 * read where requests do, not on the feed's own connection, which new events and webhooks need.
 */
export interface ReplayLimits {
  /** The primary, as requests use it. */
  db: DataSource;
  /** Each batch takes its turn among queries and mutations. */
  turns: ExecutionGate;
  /** Streams of one client address replaying at once; the others wait until one catches up or ends. */
  perAddress: number;
}

/**
 * This process's reader of the event log. The log is the only source of events: a notification
 * (a local commit, or another instance's through Redis) only says "read the log now", and a poll
 * reads it anyway while anyone listens. So a lost notification delays an event and never loses it,
 * and a stream can start at any position of the log: it reads older events from the database and
 * recent ones from memory, and then waits for the next ones, with no gap or repeat between the two.
 */
export class EventFeed {
  private head = 0;
  // `recent` holds every event with a sequence in (floor, head].
  private floor = 0;
  private recent: ContentEvent[] = [];
  private readonly streams = new Set<EventStream>();
  private readonly waiters = new Set<() => void>();
  private ready: Promise<void> | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly replays: SlotsPerKey;
  /** What subscribers of the newest events share (see SharedWork): forgotten when newer ones arrive. */
  readonly shared = new SharedWork();

  constructor(private readonly options: EventFeedOptions) {
    this.replays = new SlotsPerKey(options.replay.perAddress);
  }

  /** Streams currently open: what the listener-count metric reports. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Streams reading older events from the database now. */
  get replaying(): number {
    return this.replays.held;
  }

  /**
   * Opens a stream of every event after `after`, or, without it, of every event from now on, for
   * a subscriber at `address`.
   */
  async open(after: number | undefined, address: string): Promise<EventStream> {
    if (this.closed) throw new Error('the event feed is closed');
    // Nobody listened until now, so nothing kept `head` current: start from the log's end.
    this.ready ??= this.catchUp();
    await this.ready;
    const stream = new EventStream(this, after ?? this.head, address);
    this.streams.add(stream);
    this.timer ??= setInterval(() => void this.poke(), this.options.pollIntervalMs).unref();
    return stream;
  }

  /** Something may have been appended to the log: read it (once, however many pokes arrive meanwhile). */
  poke(): Promise<void> {
    if (this.streams.size === 0 || this.closed) return Promise.resolve();
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.readAgain = false;
          await this.readNew();
        } while (this.readAgain);
      } catch (err) {
        this.options.log.warn({ err }, 'reading the event log failed; the next poll retries');
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /** Ends every stream (their consumers see the end) and stops polling. */
  close(): void {
    this.closed = true;
    for (const stream of [...this.streams]) void stream.return();
    this.stopPolling();
  }

  /** @internal Events after `position`, in order, at most `limit`; from memory while it still holds them. */
  async eventsAfter(stream: EventStream, position: number, limit: number): Promise<ContentEvent[]> {
    if (position >= this.floor) {
      this.endReplay(stream);
      let low = 0;
      let high = this.recent.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (this.recent[mid].rowId <= position) low = mid + 1;
        else high = mid;
      }
      return this.recent.slice(low, low + limit);
    }
    if (!stream.replaying) {
      await this.replays.acquire(stream.address);
      stream.replaying = true;
      // Ended while it waited: the place goes to the next one.
      if (stream.ended) {
        this.endReplay(stream);
        return [];
      }
    }
    const { db, turns } = this.options.replay;
    const events = await turns.run(() => readEventsAfter(db, position, limit, { upTo: this.head }));
    // Batches follow each other at once; without a pause a replay on better-sqlite3, whose reads
    // never wait, would hold the event loop until its end.
    await new Promise((resolve) => setImmediate(resolve));
    return events;
  }

  /** @internal Calls `wake` once, the next time new events arrive. */
  onNext(wake: () => void): void {
    this.waiters.add(wake);
  }

  /** @internal */
  cancelWait(wake: () => void): void {
    this.waiters.delete(wake);
  }

  /** @internal */
  release(stream: EventStream): void {
    this.endReplay(stream);
    this.streams.delete(stream);
    if (this.streams.size === 0) {
      this.stopPolling();
      this.ready = null;
      this.recent = [];
    }
  }

  private endReplay(stream: EventStream): void {
    if (!stream.replaying) return;
    stream.replaying = false;
    this.replays.release(stream.address);
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async catchUp(): Promise<void> {
    this.head = await lastSequence(this.options.db);
    this.floor = this.head;
    this.recent = [];
  }

  private async readNew(): Promise<void> {
    const { db, memory = 1000 } = this.options;
    await this.ready;
    for (;;) {
      const from = this.head;
      const events = await readEventsAfter(db, from, READ_BATCH);
      // A restart of the feed moved the head while this read ran: read again from where it is now.
      if (this.head !== from) continue;
      if (events.length === 0) return;
      this.recent.push(...events);
      this.head = events[events.length - 1].rowId;
      this.shared.forget();
      if (this.recent.length > memory) {
        const dropped = this.recent.splice(0, this.recent.length - memory);
        this.floor = dropped[dropped.length - 1].rowId;
      }
      const waiters = [...this.waiters];
      this.waiters.clear();
      for (const wake of waiters) wake();
      if (events.length < READ_BATCH) return;
    }
  }
}

/**
 * One consumer's position in the log. `return()` ends it at once, even while it waits, so that a
 * completed subscription leaves nothing behind.
 */
export class EventStream implements AsyncIterableIterator<ContentEvent> {
  /** @internal Holds one of its address's places to replay. */
  replaying = false;
  private pending: ContentEvent[] = [];
  private done = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly feed: EventFeed,
    private position: number,
    readonly address: string,
  ) {}

  get ended(): boolean {
    return this.done;
  }

  async next(): Promise<IteratorResult<ContentEvent>> {
    try {
      while (!this.done) {
        const event = this.pending.shift();
        if (event) {
          this.position = event.rowId;
          return { value: event, done: false };
        }
        // Registered before reading, so that events arriving during the read still wake this stream.
        const woken = new Promise<void>((resolve) => (this.wake = resolve));
        this.feed.onNext(this.wake!);
        const batch = await this.feed.eventsAfter(this, this.position, STREAM_BATCH);
        if (batch.length > 0) {
          this.feed.cancelWait(this.wake!);
          this.pending = batch;
          continue;
        }
        await woken;
      }
    } catch (err) {
      // A consumer whose next() fails takes the stream for ended and never returns it.
      await this.return();
      throw err;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<ContentEvent>> {
    if (!this.done) {
      this.done = true;
      this.pending = [];
      if (this.wake) {
        this.feed.cancelWait(this.wake);
        this.wake();
      }
      this.feed.release(this);
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** At most `limit` holders of each key at once; the others wait in arrival order. */
class SlotsPerKey {
  private readonly keys = new Map<string, { holders: number; waiting: Array<() => void> }>();
  private total = 0;

  constructor(private readonly limit: number) {}

  get held(): number {
    return this.total;
  }

  async acquire(key: string): Promise<void> {
    let entry = this.keys.get(key);
    if (!entry) this.keys.set(key, (entry = { holders: 0, waiting: [] }));
    if (entry.holders < this.limit) {
      entry.holders += 1;
      this.total += 1;
      return;
    }
    // The holder that releases hands its place over, so the counts stay as they are.
    await new Promise<void>((resolve) => entry.waiting.push(resolve));
  }

  release(key: string): void {
    const entry = this.keys.get(key)!;
    const next = entry.waiting.shift();
    if (next) return next();
    entry.holders -= 1;
    this.total -= 1;
    if (entry.holders === 0) this.keys.delete(key);
  }
}
