import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type Redis from 'ioredis';
import type { Logger } from './logger';

/** How long a registered query stays when nobody uses it; each use does not extend it. */
const DEFAULT_TTL_SECONDS = 24 * 3600;

/**
 * Apollo's automatic persisted queries, shared by every instance: a hash registered through one
 * instance is found by the next request whichever instance it reaches. A Redis that cannot answer
 * is a cache miss (the client then sends the whole query once more), never a failed request.
 */
export class RedisPersistedQueryCache implements KeyValueCache<string> {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.get(this.prefix + key)) ?? undefined;
    } catch (err) {
      this.log.debug({ err }, 'persisted query lookup failed; treated as a miss');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl ?? DEFAULT_TTL_SECONDS;
    try {
      await this.client.set(this.prefix + key, value, 'EX', Math.max(1, Math.round(ttl)));
    } catch (err) {
      this.log.debug({ err }, 'persisted query not stored');
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.client.del(this.prefix + key)) > 0;
    } catch {
      return false;
    }
  }
}
