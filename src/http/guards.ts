import contentType from 'content-type';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAddress } from './client-address';

/**
 * A GraphQL-shaped error answer: clients read `errors[0].extensions.code` whatever refused them.
 * Nothing is written once the execution deadline has answered.
 */
export function httpError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const body = Buffer.from(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

/**
 * Why a POST body's media type is refused, or undefined when it is accepted. Only JSON in UTF-8
 * (RFC 8259) is: a form post is how a cross-site request arrives, and a decoder for any "utf-*"
 * charset would take UTF-7 too. Compressed bodies are refused: a GraphQL request is a few KiB,
 * and inflating is work (a zip bomb's lever) the gateway need not take on.
 */
export function mediaTypeRefusal(header: string | undefined, encoding: string | undefined): string | undefined {
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return `Compressed bodies (${encoding}) are not accepted; send plain JSON.`;
  let parsed: contentType.ParsedMediaType;
  try {
    parsed = contentType.parse(header ?? '');
  } catch {
    return `POST bodies must be application/json; this one is ${header || 'without a content type'}.`;
  }
  if (parsed.type !== 'application/json') return `POST bodies must be application/json; this one is ${header}.`;
  const charset = parsed.parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `The charset "${charset}" is not supported; send UTF-8 JSON.`;
  return undefined;
}

/**
 * The execution time limit. The client gets a clear 503 when it passes. A request still waiting
 * for its turn then never runs, but one already executing is not cancelled: a mutation may commit
 * after the answer. The message says so, so that a client does not send a write again blindly.
 */
export function startDeadline(res: ServerResponse, ms: number): void {
  const timer = setTimeout(() => {
    httpError(
      res,
      503,
      'TIMEOUT',
      `The request took longer than ${ms / 1000} s; no answer will follow. A query can be sent again (or ask for less); ` +
        'a mutation may still be applied, so check its effect before sending it again.',
    );
  }, ms);
  res.once('close', () => clearTimeout(timer));
}

/**
 * At most `max` requests in flight per client address: one client flooding with slow queries
 * cannot take every turn of the event loop from everyone else. `admit` answers further requests
 * with 429 at once and returns false.
 */
export function inFlightLimit(max: number, clientAddress: ClientAddress) {
  const inFlight = new Map<string, number>();
  return function admit(req: IncomingMessage, res: ServerResponse): boolean {
    const address = clientAddress(req);
    const current = inFlight.get(address) ?? 0;
    if (current >= max) {
      httpError(
        res,
        429,
        'RATE_LIMITED',
        `More than ${max} requests at once from one address; retry when earlier ones have finished.`,
        { limit: 'maxConcurrentRequestsPerAddress', retryAfter: 1 },
        { 'retry-after': '1' },
      );
      return false;
    }
    inFlight.set(address, current + 1);
    res.once('close', () => {
      const left = (inFlight.get(address) ?? 1) - 1;
      if (left > 0) inFlight.set(address, left);
      else inFlight.delete(address);
    });
    return true;
  };
}

/** Errors from Express's own routes (a missing asset) as GraphQL-shaped errors, never an HTML page. */
export function httpErrorHandler(onUnexpected: (err: unknown) => void) {
  return (err: Error & { status?: number }, _req: IncomingMessage, res: ServerResponse, next: (err: unknown) => void): void => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) {
      onUnexpected(err);
      return httpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
    }
    httpError(res, status, 'BAD_REQUEST', `Bad request: ${err.message}`);
  };
}
