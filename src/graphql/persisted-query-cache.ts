import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../observability/logger';
import type { AdmissionStep } from './plugins/admission.plugin';

/** How long a registered query stays when nobody uses it; each use does not extend it. */
const DEFAULT_TTL_SECONDS = 24 * 3600;

/**
 * Queries registered at once, across instances. No query is longer than MAX_DOCUMENT_CHARS, so
 * this bounds what the cache takes of the Redis that also holds the rate-limit counters; an
 * application has a few hundred operations at most, even with several versions of it in use.
 */
export const MAX_REGISTERED_QUERIES = 1000;

/**
 * Registrations one client address may make per minute, across instances. A client registers each
 * of its operations once, the first time it sends it; every client after it finds them registered.
 */
export const REGISTRATIONS_PER_ADDRESS_PER_MINUTE = 30;

// KEYS: the query's key, the index of registered keys (a sorted set scored by expiry time).
// ARGV: the query, its TTL in seconds, now in milliseconds, the most queries registered at once.
const REGISTER = `
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if not redis.call('ZSCORE', KEYS[2], KEYS[1]) and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
redis.call('ZADD', KEYS[2], now + ttl * 1000, KEYS[1])
redis.call('PEXPIRE', KEYS[2], ttl * 1000)
return 1`;

/**
 * Apollo's automatic persisted queries, shared by every instance: a hash registered through one
 * instance is found by the next request whichever instance it reaches. A Redis that cannot answer
 * is a cache miss (the client then sends the whole query once more), never a failed request. With
 * MAX_REGISTERED_QUERIES registered, a new query is answered but not stored.
 */
export class RedisPersistedQueryCache implements KeyValueCache<string> {
  private readonly index: string;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.index = `${prefix}registered`;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.get(this.prefix + key)) ?? undefined;
    } catch (err) {
      this.log.debug({ err }, 'persisted query lookup failed; treated as a miss');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = Math.max(1, Math.round(options?.ttl ?? DEFAULT_TTL_SECONDS));
    try {
      const stored = await this.client.eval(REGISTER, 2, this.prefix + key, this.index, value, ttl, Date.now(), MAX_REGISTERED_QUERIES);
      if (stored === 0) this.log.debug('persisted query not stored: as many queries as allowed are registered');
    } catch (err) {
      this.log.debug({ err }, 'persisted query not stored');
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      const [[, removed]] = (await this.client.multi().del(this.prefix + key).zrem(this.index, this.prefix + key).exec()) as Array<[unknown, number]>;
      return removed > 0;
    } catch {
      return false;
    }
  }
}

/**
 * An admission step for the requests that register a query: a client address past
 * REGISTRATIONS_PER_ADDRESS_PER_MINUTE has its operation answered but not registered, and sends
 * the whole query again next time. While Redis is unreachable each instance counts on its own.
 */
export function registrationLimit(client: Redis, keyPrefix: string, log: Logger): AdmissionStep {
  const options = { points: REGISTRATIONS_PER_ADDRESS_PER_MINUTE, duration: 60 };
  const limiter = new RateLimiterRedis({
    ...options,
    keyPrefix: `${keyPrefix}apq-registrations`,
    storeClient: client,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ ...options, keyPrefix: 'apq-registrations' }),
  });
  return async ({ metrics, contextValue }) => {
    if (!metrics.persistedQueryRegister) return;
    try {
      await limiter.consume(contextValue.clientAddress);
    } catch (rejection) {
      // Apollo Server registers the query after the admission steps, only while this is set.
      metrics.persistedQueryRegister = false;
      if (rejection instanceof Error) log.debug({ err: rejection }, 'persisted query registration not counted');
    }
  };
}
