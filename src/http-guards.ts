import type { ClientAddress } from './client-address';
import type { NextFunction, Request, Response } from 'express';
import type { OperationLimits } from './limits/limits';

export function httpError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/**
 * Runs before the body is read. Only JSON in UTF-8 (RFC 8259) is accepted: a form post is how a
 * cross-site request arrives, and body-parser would decode any "utf-*" charset, UTF-7 included.
 */
export function mediaTypeGuard(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST') return next();
  const contentType = req.headers['content-type'] ?? '';
  if (!req.is('application/json')) {
    return httpError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `POST bodies must be application/json; this one is ${contentType || 'without a content type'}.`);
  }
  const charset = /;\s*charset=("?)([^";]*)\1/i.exec(contentType)?.[2].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return httpError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `The charset "${charset}" is not supported; send UTF-8 JSON.`);
  }
  next();
}

/** Runs after the body is read and before Apollo parses the document. */
export function documentSizeGuard(limits: Pick<OperationLimits, 'maxDocumentChars'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query = req.method === 'POST' ? (req.body as { query?: unknown } | undefined)?.query : req.query.query;
    if (typeof query === 'string' && query.length > limits.maxDocumentChars) {
      return httpError(
        res,
        400,
        'BAD_REQUEST',
        `Document size limit of ${limits.maxDocumentChars} characters exceeded, found ${query.length}.`,
        { limit: 'maxDocumentChars' },
      );
    }
    next();
  };
}

/**
 * The execution time limit. The client gets a clear 503 when it passes; work already handed to the
 * database finishes in the background, and requestTranslation is idempotent, so a retry is safe.
 */
export function executionDeadline(ms: number) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.locals.timedOut = true;
      httpError(res, 503, 'TIMEOUT', `The request took longer than ${ms / 1000} s and was stopped; try again or ask for less.`);
    }, ms);
    res.on('close', () => clearTimeout(timer));
    next();
  };
}

const STATUS_CODES: Record<number, string> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** Body-parser failures (size, charset, malformed JSON) as GraphQL-shaped errors, never an HTML page. */
export function httpErrorHandler(onUnexpected: (err: unknown) => void) {
  return (err: Error & { status?: number }, _req: Request, res: Response, next: NextFunction): void => {
    // After a timeout answer, the late result has nowhere to go.
    if (res.locals.timedOut) return;
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) {
      onUnexpected(err);
      return httpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
    }
    httpError(res, status, STATUS_CODES[status] ?? 'BAD_REQUEST', `Bad request: ${err.message}`);
  };
}

/**
 * At most `max` requests in flight per client address: one client flooding with slow queries
 * cannot take every turn of the event loop from everyone else. Further requests get 429 at once.
 */
export function inFlightLimit(max: number, clientAddress: ClientAddress) {
  const inFlight = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const address = clientAddress(req);
    const current = inFlight.get(address) ?? 0;
    if (current >= max) {
      res.set('retry-after', '1');
      return httpError(res, 429, 'RATE_LIMITED', `More than ${max} requests at once from one address; retry when earlier ones have finished.`, {
        limit: 'maxConcurrentRequestsPerAddress',
        retryAfter: 1,
      });
    }
    inFlight.set(address, current + 1);
    res.once('close', () => {
      const left = (inFlight.get(address) ?? 1) - 1;
      if (left > 0) inFlight.set(address, left);
      else inFlight.delete(address);
    });
    next();
  };
}
