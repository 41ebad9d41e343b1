import type Redis from 'ioredis';
import type { Logger } from '../observability/logger';

/**
 * Tells every instance that the event log has grown (its subscription feed and its webhook
 * dispatcher). The message carries no event: both read the log, so a message lost in a Redis
 * outage only delays delivery until their next poll.
 */
export class EventBus {
  private subscriber: Redis | undefined;

  constructor(
    private readonly logGrew: () => void,
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
    this.subscriber.on('message', () => this.logGrew());
    this.subscriber.subscribe(channel).catch((err) => this.log.warn({ err }, 'could not subscribe to event notifications'));
  }

  /** Called after a transaction that appended events has committed. */
  committed(): void {
    this.logGrew();
    this.redis?.client.publish(this.redis.channel, '1').catch(() => {
      // Redis is down: the other instances' polls pick the event up.
    });
  }

  stop(): void {
    this.subscriber?.disconnect();
  }
}
