import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { EventFeed } from './event-feed';

/**
 * Tells every instance's feed that the log has grown. The message carries no event: feeds read
 * the log, so a message lost in a Redis outage only delays delivery until the next poll.
 */
export class EventBus {
  private subscriber: Redis | undefined;

  constructor(
    private readonly feed: EventFeed,
    private readonly log: Logger,
    private readonly redis?: { client: Redis; channel: string },
  ) {}

  async start(): Promise<void> {
    if (!this.redis) return;
    const { client, channel } = this.redis;
    // Its own connection (a subscribed connection can do nothing else), queueing the SUBSCRIBE
    // until Redis is reachable; ioredis subscribes again by itself after every reconnect.
    this.subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', () => void this.feed.poke());
    this.subscriber.subscribe(channel).catch((err) => this.log.warn({ err }, 'could not subscribe to event notifications'));
  }

  /** Called after a transaction that appended events has committed. */
  committed(): void {
    void this.feed.poke();
    this.redis?.client.publish(this.redis.channel, '1').catch(() => {
      // Redis is down: the other instances' polls pick the event up.
    });
  }

  stop(): void {
    this.subscriber?.disconnect();
  }
}
