import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { createHash } from 'node:crypto';
import { Counter } from 'prom-client';
import type { Context } from '../graphql/context';
import type { Metrics } from '../observability/metrics';
import type { ContentVersion } from './content-version';
import { tagHeaders } from './cache-tags';

/** Cache keys are remembered for this many answers (a few KiB each at most); older ones' hits go without the headers. */
const MAX_ANSWERS_KEYED = 5_000;

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
  // An answer served from the cache ran no loader: its cache keys are those its computation found.
  const keysOfAnswer = new Map<string, string>();
  const answerOf = new WeakMap<Context, string>();
  version.onChange(() => {
    cache.clear();
    keysOfAnswer.clear();
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
      extraCacheKeyData: async (rc) => {
        if (!anonymous(rc)) return '';
        const extra = `${await version.current()} ${rc.contextValue.origin}`;
        const answer = `${extra} ${rc.request.operationName ?? ''} ${rc.source} ${JSON.stringify(rc.request.variables ?? {})}`;
        answerOf.set(rc.contextValue, createHash('sha256').update(answer).digest('base64'));
        return extra;
      },
      shouldReadFromCache: async (rc) => anonymous(rc),
      shouldWriteToCache: async (rc) => anonymous(rc),
    }),
    {
      async requestDidStart() {
        return {
          async willSendResponse(rc) {
            if (rc.operation?.operation !== 'query' || !anonymous(rc)) return;
            lookups.inc({ result: rc.metrics.responseCacheHit ? 'hit' : 'miss' });
            const answer = answerOf.get(rc.contextValue);
            if (answer === undefined || !rc.response.http.headers.get('cache-control')?.startsWith('max-age=')) return;
            if (!rc.metrics.responseCacheHit) {
              if (keysOfAnswer.size >= MAX_ANSWERS_KEYED) keysOfAnswer.delete(keysOfAnswer.keys().next().value as string);
              keysOfAnswer.set(answer, rc.contextValue.tags.toString());
              return;
            }
            for (const [name, value] of Object.entries(tagHeaders(keysOfAnswer.get(answer) ?? ''))) rc.response.http.headers.set(name, value);
          },
        };
      },
    },
  ];
}
