import type { ClientAddress } from './client-address';
import type { PublicOrigin } from './public-origin';
import { execute, ExecutionArgs, ExecutionResult, getOperationAST, GraphQLError, GraphQLSchema } from 'graphql';
import type { Context as SocketContext } from 'graphql-ws';
import { Extra, useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/api-keys';
import type { WebSocketLimits } from '../config';
import { AppDeps, Context, createContext } from '../graphql/context';
import { clientError, newErrorScope } from '../graphql/errors';
import type { ExecutionGate } from '../graphql/execution-gate';
import type { OperationChecks } from '../graphql/checks/operation-checks';
import { sharedSubscribe } from '../graphql/shared-subscribe';
import type { Caller } from '../auth/caller';

export interface WebSocketEndpointOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  deps: AppDeps;
  /** The same checks, in the same order, as over HTTP. */
  checks: OperationChecks;
  webSocket: WebSocketLimits;
  /** Upgrades are refused once shutdown has begun. */
  isStopping: () => boolean;
  clientAddress: ClientAddress;
  origin: PublicOrigin;
  /** Queries and mutations take their turn here as they do over HTTP; subscriptions, which live for hours, do not. */
  executions: ExecutionGate;
}

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 "Going away"; upgrades are refused from the moment shutdown begins. */
  dispose(): Promise<void>;
  openSockets(): number;
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function limitError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...extensions } });
}

function headerValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

type SocketState = {
  /** Each running operation's context, for the errors graphql-ws reports without it. */
  operations: Map<string, Context>;
};

type Connection = SocketContext<Record<string, unknown>, Extra & Partial<SocketState>>;

/**
 * The API key as connection_init sent it: checked then, again at every subscribe, and before each
 * event of a key's subscription.
 */
function keyOf(ctx: Connection): unknown {
  const params = ctx.connectionParams ?? {};
  return params.authorization ?? params.Authorization;
}

/** A key revoked while its socket is open ends the socket with 4403, as connection_init would have. */
function revoked(ctx: Connection): GraphQLError {
  ctx.extra.socket.close(4403, 'Forbidden');
  return new GraphQLError('This API key is no longer valid.', { extensions: { code: 'FORBIDDEN' } });
}

/** Who may see what: callers with the same visibility are answered alike. */
function visibility(caller: Caller): string {
  return caller.kind === 'key' ? `key ${caller.role}` : caller.kind;
}

/** A subscription's results, each passed on only once `check` allows it; ending it ends the source at once. */
class CheckedResults implements AsyncIterableIterator<ExecutionResult> {
  private readonly source: AsyncIterator<ExecutionResult>;

  constructor(
    results: AsyncIterable<ExecutionResult>,
    private readonly check: () => Promise<boolean>,
  ) {
    this.source = results[Symbol.asyncIterator]();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const result = await this.source.next();
    let allowed: boolean;
    try {
      allowed = result.done === true || (await this.check());
    } catch (err) {
      // graphql-ws ends an operation whose results fail without ending the source: it is done here.
      await this.return();
      throw err;
    }
    if (allowed) return result;
    return this.return();
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * GraphQL over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the HTTP server's port
 * and path. Every operation passes the same checks as over HTTP before it runs (operation-checks.ts),
 * and then the API key (sent in connection_init, and checked again for each operation and each
 * event of a key's subscription). Its errors reach the client through the same masking as over HTTP.
 */
export function attachWebSocketEndpoint(options: WebSocketEndpointOptions): WebSocketEndpoint {
  const { httpServer, schema, deps, checks, webSocket } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: webSocket.maxPayloadBytes });
  const socketsPerAddress = new Map<string, number>();
  /** Per operation: what its subscription's payloads are shared by (see sharedSubscribe). */
  const sharing = new WeakMap<Context, string>();

  httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (new URL(request.url ?? '/', 'http://gateway').pathname !== '/graphql') return rejectUpgrade(socket, 404, 'Not Found');
    if (options.isStopping()) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const address = options.clientAddress(request);
    if ((socketsPerAddress.get(address) ?? 0) >= webSocket.maxSocketsPerAddress) {
      return rejectUpgrade(socket, 429, 'Too Many Requests');
    }
    socketsPerAddress.set(address, (socketsPerAddress.get(address) ?? 0) + 1);
    const release = () => {
      const left = (socketsPerAddress.get(address) ?? 1) - 1;
      if (left > 0) socketsPerAddress.set(address, left);
      else socketsPerAddress.delete(address);
    };
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  useServer<Record<string, unknown>, SocketState>(
    {
      schema,
      connectionInitWaitTimeout: webSocket.initTimeoutMs,
      execute: (args) => options.executions.run(async () => execute(args)),
      subscribe: (args) => sharedSubscribe(args, deps.eventFeed.shared, sharing.get(args.contextValue as Context)),
      // A key that is wrong or revoked closes the socket with 4403; no key means a reader.
      onConnect: async (ctx) => {
        try {
          return (await authenticate(deps.db, keyOf(ctx))).kind !== 'invalid';
        } catch (err) {
          // 1013 "try again later", which graphql-ws clients retry; they give up on graphql-ws's 4500.
          ctx.extra.socket.close(1013, clientError(err, newErrorScope(deps.log)).message);
          // graphql-ws then closes with 4403, which a socket already closing ignores.
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | GraphQLError[]> => {
        // graphql-ws has already registered this operation, so the count includes it.
        const active = Object.keys(ctx.subscriptions).length;
        if (active > webSocket.maxSubscriptions) {
          return [limitError(`Subscription limit of ${webSocket.maxSubscriptions} per socket exceeded.`, { limit: 'maxSubscriptions' })];
        }
        if (typeof payload.query !== 'string') return [limitError('The operation has no query.', {})];
        const tooLarge = checks.documentSizeRefusal(payload.query);
        if (tooLarge) return [limitError(tooLarge, { limit: 'maxDocumentChars' })];
        let document;
        try {
          document = checks.parse(payload.query);
          const invalid = checks.validate({ schema, document });
          if (invalid.length > 0) return invalid;
          const operation = getOperationAST(document, payload.operationName);
          checks.admit({ schema, document, operation: operation ?? undefined, operationName: payload.operationName, variables: payload.variables, source: payload.query });
        } catch (err) {
          return [err as GraphQLError];
        }
        // The key may have been revoked since connection_init: each operation is authenticated anew.
        let caller;
        try {
          caller = await authenticate(deps.db, keyOf(ctx));
        } catch (err) {
          return [new GraphQLError('The API key could not be checked.', { originalError: err as Error })];
        }
        if (caller.kind === 'invalid') return [revoked(ctx)];
        const params = ctx.connectionParams ?? {};
        const contextValue: Context = createContext(deps, {
          caller,
          readerId: headerValue(params['x-reader-id']),
          clientAddress: options.clientAddress(ctx.extra.request),
          origin: options.origin(ctx.extra.request),
        });
        // An event comes from the primary's log; a lagging replica might not hold its article yet.
        contextValue.readFromPrimary();
        (ctx.extra.operations ??= new Map()).set(id, contextValue);
        sharing.set(contextValue, JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? {}, visibility(caller)]));
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      // A key's subscription delivers an event only while the key is valid; once it is revoked, the
      // socket closes with 4403 instead.
      onOperation: (ctx, _id, _payload, args, result) => {
        if ((args.contextValue as Context).caller.kind !== 'key' || !(Symbol.asyncIterator in result)) return;
        return new CheckedResults(result, async () => {
          if ((await authenticate(deps.db, keyOf(ctx))).kind !== 'invalid') return true;
          revoked(ctx);
          return false;
        });
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!result.errors) return;
        const context = args.contextValue as Context;
        return { ...result, errors: result.errors.map((error) => clientError(error, context)) };
      },
      // The errors that end an operation: refused before it ran, or thrown while its stream read or checked events.
      onError: (ctx, id, _payload, errors) => {
        const scope = ctx.extra.operations?.get(id) ?? newErrorScope(deps.log);
        return errors.map((error) => clientError(error, scope));
      },
      onComplete: (ctx, id) => {
        ctx.extra.operations?.delete(id);
      },
    },
    wss,
    webSocket.keepAliveMs,
  );

  // graphql-ws reports every socket error (an oversized frame, a reset) with console.error, which
  // a client could use to flood the log; ws closes such sockets itself (1009, ...).
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err) => deps.log.debug({ err }, 'WebSocket closed on a protocol error'));
  });

  return {
    // Not graphql-ws's dispose: it waits for every client's closing handshake, which a client that
    // never answers stretches to ws's 30 s close timeout. Here stragglers are cut after 2 s.
    dispose: async () => {
      for (const client of wss.clients) client.close(1001, 'Going away');
      const deadline = Date.now() + 2000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
    openSockets: () => wss.clients.size,
  };
}
