import { randomUUID } from 'node:crypto';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from '../observability/logger';
import { isDatabaseBusy, isDatabaseUnreachable, isStatementTimeout } from '../db/failures';

// The codes a client can act on. Anything that leaves the server with another code is masked.
export const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_NOT_ALLOWED',
]);

export function userInputError(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

export function notFoundError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

export function busyError(): GraphQLError {
  return new GraphQLError('The archive is busy writing; try again in a few seconds.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 },
  });
}


/**
 * What a client is told when the database could not do its part for a moment (SQLite busy,
 * PostgreSQL unreachable or past its statement timeout): worth a retry, and nothing about the
 * database. Undefined for any other error. The error itself is still logged in full.
 */
export function retryableError(error: unknown): GraphQLError | undefined {
  if (isDatabaseBusy(error)) return busyError();
  if (isStatementTimeout(error)) {
    return new GraphQLError('The archive is too busy to answer in time; try again in a few seconds.', {
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 },
    });
  }
  if (!isDatabaseUnreachable(error)) return undefined;
  return new GraphQLError('The archive cannot be reached for a moment; try again in a few seconds.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 },
  });
}

export function isClientError(error: { extensions?: Record<string, unknown> }): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && CLIENT_ERROR_CODES.has(code);
}

/** Where an error is logged, and the id the client may quote: a request's, or one made for the error. */
export interface ErrorScope {
  requestId: string;
  log: Logger;
}

export function newErrorScope(log: Logger): ErrorScope {
  const requestId = randomUUID();
  return { requestId, log: log.child({ requestId }) };
}

/** The error a GraphQLError stands for: a resolver's, a stream's, a context's that could not be made. */
function causeOf(error: unknown): unknown {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}

/**
 * What a client sees of any error, over HTTP or a WebSocket. One it can act on keeps its message
 * and code, as `shown` (the form the transport already gave it) or else as it is. Anything else is
 * logged in full under the scope's request id, and the client learns only that: a database that
 * could not do its part for a moment answers SERVICE_UNAVAILABLE (worth a retry), any other error
 * INTERNAL_SERVER_ERROR.
 */
export function clientError(error: unknown, scope: ErrorScope, shown?: GraphQLFormattedError): GraphQLFormattedError {
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  if (graphqlError && isClientError(graphqlError)) return shown ?? withoutHttp(graphqlError.toJSON());
  const path = graphqlError?.path ?? shown?.path;
  const cause = causeOf(error);
  scope.log.error({ err: cause, path }, 'unexpected error in a GraphQL operation');
  const retryable = retryableError(cause);
  return {
    message: retryable?.message ?? `Internal server error. Quote request id ${scope.requestId} when reporting it.`,
    ...(path ? { path } : {}),
    extensions: { ...(retryable?.extensions ?? { code: 'INTERNAL_SERVER_ERROR' }), requestId: scope.requestId },
  };
}

/** `extensions.http` tells Apollo Server the status to answer with; it is not for the client. */
function withoutHttp(error: GraphQLFormattedError): GraphQLFormattedError {
  if (!error.extensions || !('http' in error.extensions)) return error;
  const { http: _http, ...extensions } = error.extensions;
  return { ...error, extensions };
}
