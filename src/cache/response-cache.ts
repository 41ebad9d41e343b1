import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { Counter } from 'prom-client';
import type { Context } from '../graphql/context';
import type { Metrics } from '../observability/metrics';

/**
 * Counts content changes this instance knows of. Answers are cached under the count current when
 * their request started, so an answer computed across a change is stored where no one looks.
 */
export class ContentGeneration {
  private count = 0;
  private readonly listeners: Array<() => void> = [];

  get current(): number {
    return this.count;
  }

  changed(): void {
    this.count += 1;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

const anonymous = ({ contextValue }: GraphQLRequestContext<Context>) => contextValue.caller.kind === 'anonymous';

/**
 * Whole answers of anonymous queries, kept in this process for as long as their cache policy
 * allows (see cache-hints.ts) and dropped at the first content change. Editors are never served
 * from it: their view may include what readers must not see.
 */
export function responseCachePlugin(maxBytes: number, generation: ContentGeneration, metrics: Metrics): ApolloServerPlugin<Context>[] {
  const cache = new InMemoryLRUCache({ maxSize: maxBytes });
  generation.onChange(() => cache.clear());
  const lookups = new Counter({
    name: 'gateway_response_cache_lookups_total',
    help: 'Anonymous queries looked up in the in-process response cache, by result.',
    labelNames: ['result'] as const,
    registers: [metrics.registry],
  });
  return [
    ApolloServerPluginResponseCache<Context>({
      cache,
      // Links in an answer (Article.seo) name the origin it was asked at, unless PUBLIC_BASE_URL fixes one.
      extraCacheKeyData: async (rc) => `${generation.current} ${rc.contextValue.origin}`,
      shouldReadFromCache: async (rc) => anonymous(rc),
      shouldWriteToCache: async (rc) => anonymous(rc),
    }),
    {
      async requestDidStart() {
        return {
          async willSendResponse(rc) {
            if (rc.operation?.operation !== 'query' || !anonymous(rc)) return;
            lookups.inc({ result: rc.metrics.responseCacheHit ? 'hit' : 'miss' });
          },
        };
      },
    },
  ];
}
