import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context';
import { retryableError } from '../errors';

/** One step between a resolved operation and its execution; it refuses the operation by throwing the error the client gets. */
export type AdmissionStep = (request: GraphQLRequestContextDidResolveOperation<Context>) => void | Promise<void>;

/**
 * The steps every HTTP operation passes before it executes, one after another: the first to throw
 * refuses it and the steps after it do not run. Apollo Server starts the didResolveOperation hooks
 * of all plugins at once, so steps whose order matters (the checks that need no SQL before the API
 * key lookup that does) run here rather than as plugins of their own.
 */
export function admissionPlugin(steps: AdmissionStep[]): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          for (const step of steps) await step(request);
        },
      };
    },
  };
}

/**
 * Looks up the request's API key. A lookup the database could not do for a moment answers
 * SERVICE_UNAVAILABLE (HTTP 503) and is logged under the request id; any other failure goes on to
 * the error masking, which logs it and tells the client only that id.
 */
export const authenticationStep: AdmissionStep = async ({ contextValue }) => {
  try {
    await contextValue.authenticate();
  } catch (err) {
    const retryable = retryableError(err);
    if (!retryable) throw err;
    contextValue.log.error({ err }, 'API key lookup failed');
    const retryAfter = String(retryable.extensions.retryAfter);
    throw new GraphQLError(retryable.message, {
      extensions: { ...retryable.extensions, http: { status: 503, headers: new HeaderMap([['retry-after', retryAfter]]) } },
    });
  }
};
