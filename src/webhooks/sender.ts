import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refusedLiteral } from './address-guard';

export interface SendResult {
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  error?: string;
}

/**
 * One POST, no redirects followed, given up after `timeoutMs` in all (connecting, sending and
 * reading the answer). Only the status matters; the answer's body is read and dropped. A host
 * that is not public is refused before connecting (unless allowed), whether named or literal.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, allowPrivate: boolean): Promise<SendResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const refused = refusedLiteral(target, allowPrivate);
    if (refused) return resolve({ error: refused });
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(allowPrivate),
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode }));
        response.on('error', (err) => resolve({ status: response.statusCode, error: err.message }));
      },
    );
    request.on('error', (err) => {
      resolve({ error: err.name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : err.message });
    });
    request.end(body);
  });
}
