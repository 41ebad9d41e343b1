import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context';
import type { OperationChecks } from '../checks/operation-checks';
import { retryableError } from '../errors';

/** One step between a resolved operation and its execution; it refuses the operation by throwing the error the client gets. */
export type AdmissionStep = (request: GraphQLRequestContextDidResolveOperation<Context>) => void | Promise<void>;

/**
 * What every HTTP operation passes once Apollo Server has parsed and validated it, one after
 * another: the operation checks (allow-list, cost), then `steps` (the API key lookup, which runs
 * SQL); the first to throw refuses it and the rest do not run. Apollo Server starts the
 * didResolveOperation hooks of all plugins at once, so steps whose order matters run here rather
 * than as plugins of their own. A client that sends `"extensions": { "cost": true }` gets the
 * computed cost back.
 */
export function admissionPlugin(checks: OperationChecks, maxCost: number, steps: AdmissionStep[]): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let cost = 0;
      return {
        async didResolveOperation(request) {
          const { schema, document, operation, operationName, queryHash } = request;
          cost = checks.admit({ schema, document, operation, operationName, variables: request.request.variables, source: queryHash });
          for (const step of steps) await step(request);
        },
        async willSendResponse({ request, response }) {
          if (request.extensions?.cost === true && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: { requested: cost, maximum: maxCost } };
          }
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
