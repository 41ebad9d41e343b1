import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Context } from '../context';
import { clientError, ErrorScope, newErrorScope } from '../errors';
import type { Logger } from '../../observability/logger';

export interface ErrorMasking {
  plugin: ApolloServerPlugin<Context>;
  formatError: (shown: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

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
 * Every error of a GraphQL request over HTTP reaches its client through `clientError`, from Apollo's
 * formatError. That hook is not told the request, so the plugin notes each error's request when
 * Apollo reports the errors, just before it formats them. An error formatted without a request
 * (its context could not be made) is logged under an id of its own.
 */
export function errorMasking(log: Logger): ErrorMasking {
  const requests = new WeakMap<object, ErrorScope>();
  return {
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors, contextValue }) {
            for (const error of errors) {
              codeRequestRefusal(error);
              requests.set(error, contextValue);
            }
          },
        };
      },
    },
    formatError: (shown, error) => {
      const scope = typeof error === 'object' && error !== null ? requests.get(error) : undefined;
      return clientError(error, scope ?? newErrorScope(log), shown);
    },
  };
}
