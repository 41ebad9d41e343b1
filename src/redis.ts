import Redis from 'ioredis';
import type { Logger } from './logger';

/**
 * A Redis client that never queues commands while disconnected: what needs Redis fails fast and
 * falls back (rate limits go per instance) instead of piling up behind an outage. It keeps
 * reconnecting on its own, so service returns without a restart.
 */
export function connectRedis(url: string, log: Logger): Redis {
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
  return client;
}
