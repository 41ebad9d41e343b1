import { ApolloServer, HeaderMap, HTTPGraphQLResponse } from '@apollo/server';
import etag from 'etag';
import fresh from 'fresh';
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import type { ClientAddress } from './client-address';
import type { Context } from '../graphql/context';
import type { ExecutionGate } from '../graphql/execution-gate';
import type { OperationChecks } from '../graphql/checks/operation-checks';
import { httpError, inFlightLimit, mediaTypeRefusal, startDeadline } from './guards';

const BODY_LIMIT = 100 * 1024;

export interface GraphQLEndpointOptions {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage) => Promise<Context>;
  checks: OperationChecks;
  maxConcurrentRequestsPerAddress: number;
  requestTimeoutMs: number;
  clientAddress: ClientAddress;
  /** Taken once the body has arrived: a client sending its body slowly holds no turn meanwhile. */
  executions: ExecutionGate;
  onUnexpected: (err: unknown) => void;
}

/**
 * GraphQL over HTTP: Apollo Server on node's own request and response, behind the HTTP guards
 * (requests in flight per address, the execution deadline, media type, body and document size) and
 * the limit on executions at once.
 * No Express on this path: its routing, request decoration and body parsing cost more than the
 * rest of a request that reads no data (docs/performance.md).
 */
export function graphqlEndpoint(options: GraphQLEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const admit = inFlightLimit(options.maxConcurrentRequestsPerAddress, options.clientAddress);
  return (req, res) => {
    if (!admit(req, res)) return;
    startDeadline(res, options.requestTimeoutMs);
    serve(options, req, res).catch((err: unknown) => {
      options.onUnexpected(err);
      if (!res.headersSent) httpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.destroy();
    });
  };
}

async function serve(options: GraphQLEndpointOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  const search = queryStart < 0 ? '' : url.slice(queryStart);
  let body: unknown;
  if (method === 'POST') {
    const refusal = mediaTypeRefusal(req.headers['content-type'], req.headers['content-encoding']);
    if (refusal) return httpError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', refusal);
    const text = await readBody(req, res);
    if (text === undefined) return;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return httpError(res, 400, 'BAD_REQUEST', `Bad request: ${(err as Error).message}`);
    }
  }
  const query = method === 'POST' ? (body as { query?: unknown } | null)?.query : new URLSearchParams(search).get('query');
  const tooLarge = options.checks.documentSizeRefusal(query);
  if (tooLarge) return httpError(res, 400, 'BAD_REQUEST', tooLarge, { limit: 'maxDocumentChars' });
  const refused = options.checks.refusalBeforeValidation(query);
  if (refused) return httpError(res, 400, 'GRAPHQL_VALIDATION_FAILED', refused.message);

  return options.executions.run(async () => {
    // The deadline or the client may have ended the request while it waited for its turn.
    if (res.headersSent || res.destroyed) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search, body },
      context: () => options.context(req),
    });
    // The deadline may have answered meanwhile; the late result has nowhere to go.
    if (res.headersSent || res.destroyed) return;
    await write(req, res, method, response);
  });
}

/** The body as UTF-8 text, or undefined once the client has been answered why it was refused. */
async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  try {
    return (await getRawBody(req, { limit: BODY_LIMIT, length: req.headers['content-length'] })).toString('utf8');
  } catch (err) {
    const { status, message } = err as { status?: number; message: string };
    if (status === 413) httpError(res, 413, 'PAYLOAD_TOO_LARGE', `Bad request: ${message}; the limit is ${BODY_LIMIT / 1024} KiB.`);
    else if (status === 400) httpError(res, 400, 'BAD_REQUEST', `Bad request: ${message}`);
    else throw err;
    return undefined;
  }
}

async function write(req: IncomingMessage, res: ServerResponse, method: string, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'chunked') {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    return;
  }
  const body = response.body.string;
  // GET answers are the ones a CDN or browser keeps: they can be revalidated by ETag.
  if (method === 'GET' && res.statusCode === 200) {
    const tag = etag(body, { weak: true });
    res.setHeader('etag', tag);
    if (fresh(req.headers, { etag: tag })) {
      res.statusCode = 304;
      res.removeHeader('content-type');
      return void res.end();
    }
  }
  // Handed over as text, node writes the headers and the body in one piece.
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
