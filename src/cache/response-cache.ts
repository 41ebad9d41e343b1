import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { Counter } from 'prom-client';
import type { Context } from '../graphql/context';
import type { Metrics } from '../observability/metrics';
import type { ContentVersion } from './content-version';

const anonymous = ({ contextValue }: GraphQLRequestContext<Context>) => contextValue.caller.kind === 'anonymous';

/**
 * Whole answers of anonymous queries, kept in this process for as long as their cache policy
 * allows (see cache-hints.ts) and while the content they were computed from is current (see
 * content-version.ts): never served after a change has committed. Editors are never served
 * from it: their view may include what readers must not see.
 */
export function responseCachePlugin(maxBytes: number, version: ContentVersion, metrics: Metrics): ApolloServerPlugin<Context>[] {
  const cache = new InMemoryLRUCache({ maxSize: maxBytes });
  const invalidations = new Counter({
    name: 'gateway_response_cache_invalidations_total',
    help: 'Times the response cache was emptied because the content changed.',
    registers: [metrics.registry],
  });
  version.onChange(() => {
    cache.clear();
    invalidations.inc();
  });
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
      extraCacheKeyData: async (rc) => (anonymous(rc) ? `${await version.current()} ${rc.contextValue.origin}` : ''),
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
