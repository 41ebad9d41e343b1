import Redis from 'ioredis';
import type { Logger } from '../observability/logger';

/**
 * A Redis client that never queues commands while disconnected: what needs Redis fails fast and
 * falls back (rate limits go per instance) instead of piling up behind an outage. It keeps
 * reconnecting on its own, so service returns without a restart.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let healthy = true;
  client.on('error', (err) => {
    if (healthy) log.warn({ err }, 'Redis is unreachable; rate limits fall back to this instance until it returns');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) log.info('Redis is back');
    healthy = true;
  });
  // Serving before the first connection would count the first requests per instance only; a Redis
  // that is down at start must not keep the gateway from starting, though.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}
