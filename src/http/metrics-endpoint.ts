import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpError } from './guards';
import type { Metrics } from '../observability/metrics';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** GET /metrics in Prometheus' text format; with a token, only for `Authorization: Bearer <token>`. */
export function metricsHandler(metrics: Metrics, token: string | undefined): MetricsHandler {
  // Digests have one length whatever was sent, so that the comparison can take constant time.
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return async (req, res) => {
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      return httpError(res, 401, 'UNAUTHENTICATED', 'Metrics need the METRICS_TOKEN: send it as "Authorization: Bearer TOKEN".', {}, {
        'www-authenticate': 'Bearer',
      });
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}

/** A listener of its own for METRICS_PORT: /metrics and nothing else. */
export function metricsServer(serve: MetricsHandler, onUnexpected: (err: unknown) => void): http.Server {
  const server = http.createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== '/metrics') return httpError(res, 404, 'NOT_FOUND', 'Only /metrics is served here.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return httpError(res, 405, 'BAD_REQUEST', 'Use GET.', {}, { allow: 'GET, HEAD' });
    serve(req, res).catch((err: unknown) => {
      onUnexpected(err);
      httpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  return server;
}
