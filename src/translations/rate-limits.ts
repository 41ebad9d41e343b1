import { GraphQLError } from 'graphql';
import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitSettings {
  /** requestTranslation calls a reader, and a client address, may make per window. */
  translationRequestsPerWindow: number;
  windowSeconds: number;
  /** When set, counters live in Redis under this prefix and every instance shares them. */
  redis?: { client: Redis; keyPrefix: string };
}

/**
 * Abuse control for writes readers can make. Counted per reader and per client address (an IPv6
 * client by its /64, see client-address.ts), so that neither a new reader id per call nor one busy
 * address gets around it. With Redis, instances
 * share the counters; while Redis is unreachable each instance falls back to its own in-memory
 * counters (rate-limiter-flexible's insurance limiter) and returns to Redis when it is back.
 */
export class RateLimits {
  private readonly byReader: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(settings: RateLimitSettings) {
    const options = { points: settings.translationRequestsPerWindow, duration: settings.windowSeconds };
    const limiter = (name: string): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ ...options, keyPrefix: name });
      if (!settings.redis) return memory;
      return new RateLimiterRedis({
        ...options,
        keyPrefix: `${settings.redis.keyPrefix}${name}`,
        storeClient: settings.redis.client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.byReader = limiter('translation-reader');
    this.byAddress = limiter('translation-address');
  }

  /**
   * The address is counted first, and the reader only once the address is let through: a refused
   * address then costs a reader nothing, and a client making up reader ids behind a refused
   * address leaves no counter per id behind.
   */
  async consumeTranslationRequest(readerHash: string, address: string): Promise<void> {
    try {
      await this.byAddress.consume(address);
      await this.byReader.consume(readerHash);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(`Too many translation requests; try again in ${retryAfter} s.`, {
        extensions: { code: 'RATE_LIMITED', retryAfter },
      });
    }
  }
}
