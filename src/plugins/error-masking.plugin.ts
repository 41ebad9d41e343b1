import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';
import type { Context } from '../context';
import { isClientError, maskedError } from '../errors';

/**
 * Apollo refuses a persisted query whose hash does not match its document, or of an unknown
 * version, with HTTP 400 but no code; the request is the client's mistake, so it is coded like
 * Apollo's other refusals of a malformed request.
 */
function codeRequestRefusal(error: GraphQLError): void {
  const extensions = error.extensions as Record<string, unknown> & { http?: { status?: number } };
  if (extensions.code === undefined && extensions.http?.status === 400 && !error.originalError && !error.path) extensions.code = 'BAD_REQUEST';
}

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
            codeRequestRefusal(error);
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
