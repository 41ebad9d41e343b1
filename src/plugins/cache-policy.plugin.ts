import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { cachedOperationPolicy } from '../cache/cache-policy';
import type { ContentGeneration } from '../cache/response-cache';
import type { Context } from '../context';

/**
 * Gives each anonymous query its cache policy (from cache-hints.ts) and says it in Cache-Control,
 * so a CDN or browser may reuse a GET for that long. Editors' answers, mutations and answers with
 * errors are `no-store`. A mutation by an editor counts as a content change once it has answered.
 */
export function cachePolicyPlugin(schema: GraphQLSchema, generation: ContentGeneration): ApolloServerPlugin<Context> {
  const policyOf = cachedOperationPolicy(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue, overallCachePolicy }) {
          if (operation && contextValue.caller.kind === 'anonymous') overallCachePolicy.replace(policyOf(document, operation));
        },
        async willSendResponse({ operation, contextValue, overallCachePolicy, response }) {
          if (operation?.operation === 'mutation' && contextValue.caller.kind === 'key') generation.changed();
          const failed = response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
          const policy = failed ? null : overallCachePolicy.policyIfCacheable();
          response.http.headers.set('cache-control', policy ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}` : 'no-store');
          // A shared cache must not hand an anonymous answer to an editor, or the reverse.
          response.http.headers.set('vary', 'Authorization');
        },
      };
    },
  };
}
