import { CLIENT_ERROR_CODES } from '../../src/graphql/errors';
import type { FuzzCase } from './cases';
import type { Exchange } from './transports';
import { short } from './transports';

/** What the gateway holds that no one but an editor may see: the slugs, titles and ids of drafts. */
export interface Secrets {
  markers: Set<string>;
}

/** Fields only an editor's key may get data from (every mutation but the reader's requestTranslation). */
export const EDITOR_ONLY = new Set([
  'Query.articleForEditor',
  'Query.translationRequests',
  'Query.webhooks',
  'Subscription.translationRequested',
]);

export interface Oracle {
  /** The gateway's request timeout: no answer may take longer. */
  timeoutMs: number;
  secrets: Secrets;
}

/** The codes a refusal for a broken limit carries, whichever transport and layer refused it. */
const LIMIT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX', 'BAD_REQUEST', 'BAD_USER_INPUT']);

/** Statuses a GraphQL request may be answered with; 406 answers an Accept header it cannot satisfy, 431 (node's parser) a URL over the header limit. */
const STATUSES = new Set([200, 400, 401, 403, 404, 405, 406, 413, 415, 431]);

// A stack frame, a driver's message or a path: what masking exists to keep from clients. Written
// as drivers and node write them, so that a hostile value echoed back in a message does not count.
const LEAKS = /stacktrace|SQLITE_[A-Z]{2,}|QueryFailedError|\/node_modules\/|syntax error at or near|(relation|column) "[^"]*" does not exist|no such (column|table)|\bat [\w.<>]+ \(\/|\.[jt]s:\d+:\d+/;

interface ErrorLike {
  message?: unknown;
  extensions?: { code?: unknown };
}

function errorProblems(errors: unknown[], where: string): string[] {
  const problems: string[] = [];
  for (const raw of errors) {
    const error = raw as ErrorLike;
    const code = error?.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') problems.push(`${where}: INTERNAL_SERVER_ERROR "${short(String(error.message), 200)}"`);
    else if (typeof code !== 'string') problems.push(`${where}: an error without a code, not masked: "${short(String(error?.message), 300)}"`);
    else if (!CLIENT_ERROR_CODES.has(code)) problems.push(`${where}: an error with the code ${code}, which is not one a client can act on: "${short(String(error.message), 300)}"`);
    if (typeof error?.message !== 'string') problems.push(`${where}: an error without a message`);
  }
  return problems;
}

/** Every string in `value` that is one of the markers, with where it is. */
function secretsIn(value: unknown, markers: Set<string>, path: string, found: string[]): string[] {
  if (typeof value === 'string') {
    if (markers.has(value)) found.push(`${path} = ${JSON.stringify(short(value, 80))}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => secretsIn(v, markers, `${path}[${i}]`, found));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) secretsIn(v, markers, `${path}.${k}`, found);
  }
  return found;
}

function rootType(kind: string): string {
  return kind === 'mutation' ? 'Mutation' : kind === 'subscription' ? 'Subscription' : 'Query';
}

/**
 * What is wrong with the answers to one case; empty when the property holds. The property: no
 * answer is a 500 or carries INTERNAL_SERVER_ERROR or an uncoded (unmasked) error, none leaks
 * internals or takes longer than the request timeout, every socket closes only as the protocol
 * says, nobody but an editor sees a draft or an editor's data, and an operation built to break a
 * limit is refused.
 */
export function findings(c: FuzzCase, exchanges: Exchange[], oracle: Oracle): string[] {
  const problems: string[] = [];
  const op = 'op' in c.plan ? c.plan.op : undefined;
  for (const [i, ex] of exchanges.entries()) {
    const where = `${ex.transport}${exchanges.length > 1 ? ` #${i + 1}` : ''}`;
    if (ex.noAnswer) problems.push(`${where}: no answer (${short(ex.noAnswer, 200)})`);
    if (ex.ms > oracle.timeoutMs) problems.push(`${where}: took ${Math.round(ex.ms)} ms, longer than the ${oracle.timeoutMs} ms request timeout`);
    if (ex.status !== undefined) {
      if (ex.status >= 500) problems.push(`${where}: HTTP ${ex.status}`);
      else if (!STATUSES.has(ex.status)) problems.push(`${where}: HTTP ${ex.status}, not a status a GraphQL request is answered with`);
      if (ex.status !== 431 && ex.payloads.length === 0) problems.push(`${where}: HTTP ${ex.status} with a body that is not a JSON object: ${short(ex.text ?? '', 200)}`);
    }
    // Data is content (an article may well say "at Harvard (2019)"): only errors and non-GraphQL bodies are read for internals.
    const errorText = ex.payloads.length > 0 ? JSON.stringify(ex.payloads.map((p) => p.errors ?? [])) : (ex.text ?? '');
    if (LEAKS.test(errorText)) problems.push(`${where}: the answer shows internals: ${short(errorText, 400)}`);
    for (const payload of ex.payloads) problems.push(...errorProblems(payload.errors ?? [], where));
    if (ex.wsErrors) {
      problems.push(...errorProblems(ex.wsErrors, `${where} error message`));
      const text = JSON.stringify(ex.wsErrors);
      if (LEAKS.test(text)) problems.push(`${where}: the error message shows internals: ${short(text, 400)}`);
    }
    if (ex.close) {
      const { code, reason } = ex.close;
      // 4400-4499 and 1009 are the protocol's and ws's answers to a client's mistakes; the pooled
      // sockets of the WebSocket transport are never meant to be closed at all.
      const expected = ex.transport !== 'ws' && ((code >= 4400 && code < 4500) || code === 1009 || code === 1000 || code === 1001);
      if (!expected) problems.push(`${where}: the socket closed with ${code} "${short(reason, 200)}"`);
    }
    if (op?.overLimit && ex.carriesDocument) {
      const data = ex.payloads.some((p) => p.data !== undefined && p.data !== null);
      const codes = [...ex.payloads.flatMap((p) => p.errors ?? []), ...(ex.wsErrors ?? [])].map((e) => (e as ErrorLike)?.extensions?.code);
      const refusedByHttp = ex.status === 405 || ex.status === 413 || ex.status === 431;
      // A broken body is refused for what is wrong with it before its document is read.
      const refusedAsBody = ex.transport === 'http-raw' && !data && codes.length > 0;
      const refused = refusedByHttp || refusedAsBody || ex.close !== undefined || (!data && codes.some((code) => LIMIT_CODES.has(code as string)));
      if (!refused) problems.push(`${where}: an operation over ${op.overLimit} was not refused (codes ${JSON.stringify(codes)})`);
    }
    if (c.role !== 'editor') {
      for (const payload of ex.payloads) {
        const leaks = secretsIn(payload.data, oracle.secrets.markers, 'data', []);
        if (leaks.length > 0) problems.push(`${where}: a draft shown to a caller without an editor key: ${leaks.slice(0, 3).join('; ')}`);
        if (op && payload.data && typeof payload.data === 'object') {
          for (const root of op.roots) {
            const name = `${rootType(op.kind)}.${root.field}`;
            const editorOnly = EDITOR_ONLY.has(name) || (op.kind === 'mutation' && root.field !== 'requestTranslation');
            const data = payload.data as Record<string, unknown>;
            const value = Object.hasOwn(data, root.key) ? data[root.key] : undefined;
            if (editorOnly && value !== undefined && value !== null) problems.push(`${where}: ${name} answered with data for a caller without an editor key`);
          }
        }
      }
    }
  }
  return problems;
}
