import { createHash } from 'node:crypto';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { wsUrl } from '../helpers/ws';
import type { Value } from './hostile-values';
import type { FuzzOperation } from './schema-operations';
import { jsonText } from './schema-operations';

export type Transport = 'http-post' | 'http-get-apq' | 'http-raw' | 'ws' | 'ws-connect' | 'ws-raw';

export interface GraphQLPayload {
  data?: unknown;
  errors?: unknown[];
}

/** One request and what came back, as the property checks it. */
export interface Exchange {
  transport: Transport;
  /** What was sent, short enough to print. */
  sent: string;
  /** True when the exchange carried the operation's document (an APQ hash lookup does not). */
  carriesDocument: boolean;
  ms: number;
  status?: number;
  text?: string;
  /** Every GraphQL result that arrived (over a WebSocket, each `next`). */
  payloads: GraphQLPayload[];
  /** A graphql-ws `error` message's errors. */
  wsErrors?: unknown[];
  /** How the socket closed, when it did. */
  close?: { code: number; reason: string };
  /** The client got no answer at all (connection refused or reset, or it gave up waiting). */
  noAnswer?: string;
}

export function short(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function body(op: FuzzOperation): Record<string, unknown> {
  return { query: op.document, variables: op.variables, operationName: op.operationName };
}

function parse(text: string): GraphQLPayload[] {
  try {
    const json = JSON.parse(text);
    return json && typeof json === 'object' && !Array.isArray(json) ? [json] : [];
  } catch {
    return [];
  }
}

export interface HttpOptions {
  baseUrl: string;
  /** The gateway's request timeout: the client waits a little longer before it calls an answer missing. */
  timeoutMs: number;
}

/** An HTTP request to /graphql; `body` undefined for a GET. */
export async function httpExchange(
  options: HttpOptions,
  transport: Transport,
  init: { method: 'GET' | 'POST'; search?: string; body?: string | Buffer; headers: Record<string, string>; carriesDocument: boolean },
): Promise<Exchange> {
  const started = performance.now();
  const sent = `${init.method} /graphql${init.search ?? ''} ${JSON.stringify(init.headers)} ${init.body === undefined ? '' : init.body.toString()}`;
  const base = { transport, sent: short(sent), carriesDocument: init.carriesDocument, payloads: [] as GraphQLPayload[] };
  try {
    const res = await fetch(`${options.baseUrl}/graphql${init.search ?? ''}`, {
      method: init.method,
      headers: init.headers,
      // The bytes as a plain Uint8Array: a Buffer's type is not a BodyInit under every set of
      // Node's and the DOM's typings a compile may load.
      body: typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body),
      signal: AbortSignal.timeout(options.timeoutMs + 5000),
    });
    const text = await res.text();
    return { ...base, ms: performance.now() - started, status: res.status, text, payloads: parse(text) };
  } catch (err) {
    return { ...base, ms: performance.now() - started, noAnswer: String((err as Error)?.cause ?? err) };
  }
}

export function postOperation(options: HttpOptions, op: FuzzOperation, headers: Record<string, string>): Promise<Exchange> {
  return httpExchange(options, 'http-post', {
    method: 'POST',
    body: jsonText(body(op)),
    headers: { 'content-type': 'application/json', ...headers },
    carriesDocument: true,
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** How a GET with an automatic persisted query goes wrong on purpose, when it does. */
export type ApqTwist = 'none' | 'hash-mismatch' | 'bad-version' | 'bad-hash';

/**
 * Apollo's automatic persisted queries over GET, as a client library sends them: the hash alone
 * (unknown at first), then the hash with the document, which registers it, and now and then the
 * hash alone again, which the gateway now knows.
 */
export async function getWithApq(options: HttpOptions, op: FuzzOperation, headers: Record<string, string>, twist: ApqTwist, again: boolean): Promise<Exchange[]> {
  const hash = twist === 'hash-mismatch' ? sha256(`${op.document} `) : sha256(op.document);
  const persistedQuery: Record<string, Value> =
    twist === 'bad-version' ? { version: 2, sha256Hash: hash } : twist === 'bad-hash' ? { version: 1, sha256Hash: 'zz' } : { version: 1, sha256Hash: hash };
  const search = (withDocument: boolean) => {
    const params = new URLSearchParams();
    if (withDocument) params.set('query', op.document);
    params.set('extensions', JSON.stringify({ persistedQuery }));
    if (op.variables !== undefined) params.set('variables', jsonText(op.variables));
    if (op.operationName !== undefined) params.set('operationName', op.operationName);
    return `?${params}`;
  };
  const get = (withDocument: boolean) =>
    httpExchange(options, 'http-get-apq', { method: 'GET', search: search(withDocument), headers: { 'apollo-require-preflight': 'true', ...headers }, carriesDocument: withDocument });
  const exchanges = [await get(false), await get(true)];
  if (again) exchanges.push(await get(false));
  return exchanges;
}

export interface RawBody {
  body: string | Buffer;
  headers: Record<string, string>;
}

export function postRaw(options: HttpOptions, raw: RawBody): Promise<Exchange> {
  return httpExchange(options, 'http-raw', { method: 'POST', body: raw.body, headers: raw.headers, carriesDocument: true });
}

function closeOf(event: unknown): { code: number; reason: string } | undefined {
  const e = event as { code?: unknown; reason?: unknown } | null;
  return e && typeof e.code === 'number' ? { code: e.code, reason: String(e.reason ?? '') } : undefined;
}

/** A graphql-ws client that stays connected; every close of its socket is recorded. */
export class PooledSocket {
  readonly client: Client;
  readonly closes: Array<{ code: number; reason: string }> = [];

  constructor(baseUrl: string, connectionParams: Record<string, unknown>) {
    this.client = createClient({
      url: wsUrl(baseUrl),
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: (event) => {
        const close = closeOf(event);
        if (close) this.closes.push(close);
      },
      on: {
        closed: (event) => {
          const close = closeOf(event);
          if (close) this.closes.push(close);
        },
      },
    });
  }

  async dispose(): Promise<void> {
    // A socket the gateway refused rejects its dispose with that close, which its operation has already reported.
    await Promise.resolve(this.client.dispose()).catch(() => undefined);
  }
}

export interface WsOptions {
  timeoutMs: number;
  /** How long a subscription stays open to collect what it replays before the client completes it. */
  subscriptionMs: number;
}

/** One operation over a graphql-ws client: a query or mutation until it completes, a subscription for a while. */
export function overWebSocket(client: Client, op: FuzzOperation, options: WsOptions, transport: Transport = 'ws'): Promise<Exchange> {
  const started = performance.now();
  const payload = { query: op.document, variables: op.variables, operationName: op.operationName };
  const base = { transport, sent: short(jsonText(payload)), carriesDocument: true };
  return new Promise((resolve) => {
    const payloads: GraphQLPayload[] = [];
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (extra: Partial<Exchange>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      resolve({ ...base, ms: performance.now() - started, payloads, ...extra });
    };
    const unsubscribe = client.subscribe(payload as never, {
      next: (result) => void payloads.push(result as GraphQLPayload),
      error: (err) => {
        if (Array.isArray(err)) return finish({ wsErrors: err });
        const close = closeOf(err);
        finish(close ? { close } : { noAnswer: String((err as Error)?.message ?? err) });
      },
      complete: () => finish({}),
    });
    // An operation over a limit is refused before any stream opens: it waits for that refusal.
    if (op.kind === 'subscription' && !op.overLimit) timer = setTimeout(() => finish({ ms: options.subscriptionMs }), options.subscriptionMs);
    else timer = setTimeout(() => finish({ noAnswer: 'no answer over the WebSocket' }), options.timeoutMs + 5000);
  });
}

/** A socket of its own, for what closes it: other connection parameters, an oversized message. */
export async function onOwnSocket(baseUrl: string, connectionParams: Record<string, unknown>, op: FuzzOperation, options: WsOptions): Promise<Exchange> {
  const socket = new PooledSocket(baseUrl, connectionParams);
  try {
    const exchange = await overWebSocket(socket.client, op, options, 'ws-connect');
    return exchange.close || socket.closes.length === 0 ? exchange : { ...exchange, close: socket.closes[0] };
  } finally {
    await socket.dispose();
  }
}

/**
 * graphql-transport-ws spoken by hand: `frames` are sent in order once the socket opens, each
 * after the previous answer or a short pause; the result says how the server closed it, if it did.
 */
export function rawWebSocket(baseUrl: string, frames: Array<string | Buffer>, options: WsOptions): Promise<Exchange> {
  const started = performance.now();
  const base = { transport: 'ws-raw' as const, sent: short(frames.map((f) => (typeof f === 'string' ? f : `<${f.length} bytes>`)).join(' | ')), carriesDocument: false };
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(baseUrl), 'graphql-transport-ws');
    const payloads: GraphQLPayload[] = [];
    const wsErrors: unknown[] = [];
    let settled = false;
    const finish = (extra: Partial<Exchange>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      resolve({ ...base, ms: performance.now() - started, payloads, wsErrors, ...extra });
    };
    const timer = setTimeout(() => finish({}), options.subscriptionMs * 2);
    socket.on('open', async () => {
      for (const frame of frames) {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(frame);
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    socket.on('message', (data) => {
      try {
        const message = JSON.parse(data.toString());
        if (message.type === 'next') payloads.push(message.payload);
        if (message.type === 'error') wsErrors.push(...(Array.isArray(message.payload) ? message.payload : [message.payload]));
      } catch {
        wsErrors.push({ message: `not JSON: ${data.toString().slice(0, 200)}` });
      }
    });
    socket.on('close', (code, reason) => finish({ close: { code, reason: reason.toString() } }));
    socket.on('error', (err) => finish({ noAnswer: String(err) }));
  });
}
