import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Context } from '../context';
import { isClientError, maskedError } from '../errors';

/**
 * Errors a client can act on pass through with their code. Everything else (driver errors, bugs)
 * is logged in full under the request id and reaches the client only as that id.
 */
export function errorMaskingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!isClientError(error)) {
              contextValue.log.error({ err: unwrapResolverError(error), path: error.path }, 'unexpected error in GraphQL request');
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            isClientError(error) ? error : maskedError(error, contextValue.requestId),
          );
        },
      };
    },
  };
}
