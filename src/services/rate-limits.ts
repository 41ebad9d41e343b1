import { GraphQLError } from 'graphql';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitSettings {
  /** requestTranslation calls a reader, and a client address, may make per window. */
  translationRequestsPerWindow: number;
  windowSeconds: number;
}

/**
 * Abuse control for writes readers can make. Counted per reader and per client address, so that
 * neither a new reader id per call nor one busy address gets around it. In memory here; several
 * instances will share counters through Redis (rate-limiter-flexible's Redis store, same API).
 */
export class RateLimits {
  private readonly byReader: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(settings: RateLimitSettings) {
    const options = { points: settings.translationRequestsPerWindow, duration: settings.windowSeconds };
    this.byReader = new RateLimiterMemory({ ...options, keyPrefix: 'translation-reader' });
    this.byAddress = new RateLimiterMemory({ ...options, keyPrefix: 'translation-address' });
  }

  async consumeTranslationRequest(readerHash: string, address: string): Promise<void> {
    try {
      await Promise.all([this.byReader.consume(readerHash), this.byAddress.consume(address)]);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(`Too many translation requests; try again in ${retryAfter} s.`, {
        extensions: { code: 'RATE_LIMITED', retryAfter },
      });
    }
  }
}
