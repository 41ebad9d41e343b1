import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { ContentVersion } from './cache/content-version';
import { createApollo } from './graphql/apollo';
import { AppDeps, createContext } from './graphql/context';
import { mountHealthChecks } from './http/health';
import { clientAddressOf } from './http/client-address';
import { publicOriginOf } from './http/public-origin';
import { closeDatabase, openBackgroundConnection, replicaReads } from './db/data-source';
import { EventBus } from './events/event-bus';
import { EventFeed } from './events/event-feed';
import { WebhookDispatcher } from './webhooks/dispatcher';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import { ExecutionGate } from './graphql/execution-gate';
import { graphqlEndpoint } from './http/graphql-endpoint';
import { httpErrorHandler } from './http/guards';
import { metricsHandler, metricsServer } from './http/metrics-endpoint';
import { loadAllowList } from './graphql/checks/allow-list';
import { operationChecks } from './graphql/checks/operation-checks';
import { createSchema } from './graphql/schema';
import { connectRedis } from './db/redis';
import { RateLimits } from './translations/rate-limits';
import { loadReaderSecret } from './translations/reader-identity';
import { FEED_LINKS, mountWebPages, PAGE_HEADERS } from './http/pages';
import { mountReaderPage } from './http/reader-page';
import { mountFeeds } from './http/feeds';
import { mountSitemaps } from './http/sitemaps';
import { attachWebSocketEndpoint } from './http/websocket';

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface ServerDeps {
  config: Pick<
    Config,
    | 'nodeEnv'
    | 'readerIdSecret'
    | 'introspection'
    | 'limits'
    | 'translationRequestsPerMinute'
    | 'requestTimeoutMs'
    | 'redisUrl'
    | 'redisKeyPrefix'
    | 'eventPollIntervalMs'
    | 'webSocket'
    | 'allowedOperationsDir'
    | 'webhooks'
    | 'playground'
    | 'maxConcurrentRequestsPerAddress'
    | 'maxConcurrentExecutions'
    | 'trustProxy'
    | 'responseCacheBytes'
    | 'metrics'
    | 'publishing'
  >;
  db: DataSource;
  log: Logger;
  metrics: Metrics;
}

export interface Gateway {
  httpServer: http.Server;
  listen(port: number, host: string): Promise<string>;
  /**
   * Shuts down: /readyz answers 503 at once; after `readinessDelayMs` (time for a load balancer to
   * stop sending traffic, which is still served meanwhile) the listener closes, WebSockets close
   * with 1001, and requests in flight get up to 10 s to finish.
   */
  stop(readinessDelayMs?: number): Promise<void>;
}

/** One HTTP server: GraphQL over HTTP and WebSocket at /graphql, health checks and metrics (unless METRICS_PORT gives them a listener of their own). */
export async function createServer({ config, db, log, metrics }: ServerDeps): Promise<Gateway> {
  // Whatever can refuse the start goes before anything that opens a connection or starts a timer.
  const schema = await createSchema();
  const allowed = config.allowedOperationsDir ? loadAllowList(config.allowedOperationsDir, schema) : undefined;
  const checks = operationChecks(config.limits, allowed);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : undefined;
  const background = await openBackgroundConnection(db, log, metrics);
  const executions = new ExecutionGate(config.maxConcurrentExecutions);
  const eventFeed = new EventFeed({
    db: background,
    log,
    pollIntervalMs: config.eventPollIntervalMs,
    replay: { db, turns: executions, perAddress: config.webSocket.maxReplaysPerAddress },
  });
  const webhookDispatcher = new WebhookDispatcher(background, log, config.webhooks);
  const version = new ContentVersion(db);
  const eventBus = new EventBus(
    () => {
      void eventFeed.poke();
      webhookDispatcher.poke();
    },
    log,
    redis && { client: redis, channel: `${config.redisKeyPrefix}events` },
  );
  await eventBus.start();
  webhookDispatcher.start();
  const deps: AppDeps = {
    db,
    reads: replicaReads(db),
    log,
    readerSecret: await loadReaderSecret(db, config.readerIdSecret),
    rateLimits: new RateLimits({
      translationRequestsPerWindow: config.translationRequestsPerMinute,
      windowSeconds: 60,
      redis: redis && { client: redis, keyPrefix: config.redisKeyPrefix },
    }),
    eventFeed,
    eventBus,
    webhookDispatcher,
    allowPrivateWebhookUrls: config.webhooks.allowPrivateUrls,
    siteName: config.publishing.siteName,
  };
  const clientAddress = clientAddressOf(config.trustProxy);
  const origin = publicOriginOf(config.publishing.publicBaseUrl, config.trustProxy);
  const app = express();
  const httpServer = http.createServer();
  let stopping = false;
  if (executions.limit > 0) {
    metrics.gauge('gateway_graphql_executions_waiting', 'GraphQL queries and mutations waiting for their turn to execute.', () => executions.waiting);
    metrics.gauge('gateway_graphql_executions_running', 'GraphQL queries and mutations executing now.', () => executions.running);
  }

  const webSocket = attachWebSocketEndpoint({
    httpServer,
    schema,
    deps,
    checks,
    webSocket: config.webSocket,
    isStopping: () => stopping,
    clientAddress,
    origin,
    executions,
  });
  metrics.gauge('gateway_subscription_streams', 'Event streams open for subscriptions.', () => eventFeed.openStreams);
  metrics.gauge('gateway_subscription_replays', 'Event streams reading events older than those kept in memory.', () => eventFeed.replaying);
  metrics.gauge('gateway_websockets', 'Open WebSocket connections.', () => webSocket.openSockets());

  const apollo = createApollo({ config, schema, checks, httpServer, version, redis, readsFromReplica: deps.reads !== db, log, metrics });
  await apollo.start();
  const logUnexpected = (err: unknown) => log.error({ err }, 'unexpected HTTP error');
  const graphql = graphqlEndpoint({
    apollo,
    context: async (req) =>
      createContext(deps, {
        authorization: req.headers.authorization,
        readerId: firstHeader(req.headers['x-reader-id']),
        clientAddress: clientAddress(req),
        origin: origin(req),
      }),
    checks,
    maxConcurrentRequestsPerAddress: config.maxConcurrentRequestsPerAddress,
    requestTimeoutMs: config.requestTimeoutMs,
    clientAddress,
    executions,
    onUnexpected: logUnexpected,
  });

  app.disable('x-powered-by');
  mountHealthChecks(app, { db, isStopping: () => stopping, log });
  const serveMetrics = metricsHandler(metrics, config.metrics.token);
  if (config.metrics.onMainPort) app.get('/metrics', serveMetrics);
  const metricsListener = config.metrics.port === undefined ? undefined : metricsServer(serveMetrics, logUnexpected);
  mountReaderPage(app, {
    schema,
    context: (req, readerId) => createContext(deps, { caller: { kind: 'anonymous' }, readerId, clientAddress: clientAddress(req), origin: origin(req) }),
    origin,
    siteName: config.publishing.siteName,
    executions,
    headers: PAGE_HEADERS,
    feedLinks: FEED_LINKS,
  });
  mountWebPages(app, { playground: config.playground });
  const { siteName, feedEntries } = config.publishing;
  mountFeeds(app, {
    schema,
    context: (req) => createContext(deps, { caller: { kind: 'anonymous' }, readerId: undefined, clientAddress: clientAddress(req), origin: origin(req) }),
    site: (req) => ({ baseUrl: origin(req), name: siteName, entries: feedEntries }),
    executions,
  });
  mountSitemaps(app, { db: deps.reads, baseUrl: origin, siteName, log, version });
  app.all('/graphql', graphql);
  app.use(httpErrorHandler(logUnexpected));
  // POST /graphql, nearly every request, goes straight to its handler; Express serves the rest.
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
    req.method === 'POST' && (req.url === '/graphql' || req.url?.startsWith('/graphql?')) ? graphql(req, res) : app(req, res),
  );
  // Slow clients: a request must send its headers within 20 s and finish within 30 s.
  httpServer.headersTimeout = 20_000;
  httpServer.requestTimeout = 30_000;

  return {
    httpServer,
    listen: async (port, host) => {
      const url = await new Promise<string>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        });
      });
      if (metricsListener) {
        await new Promise<void>((resolve, reject) => {
          metricsListener.once('error', reject);
          metricsListener.listen(config.metrics.port, host, resolve);
        });
      }
      return url;
    },
    stop: async (readinessDelayMs = 0) => {
      stopping = true;
      if (readinessDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, readinessDelayMs));
      eventFeed.close();
      eventBus.stop();
      // A delivery round may wait behind the requests in flight: the listener closes meanwhile.
      const deliveriesStopped = webhookDispatcher.stop();
      await Promise.all([webSocket.dispose(), apollo.stop()]);
      await deliveriesStopped;
      await closeDatabase(background);
      redis?.disconnect();
      if (metricsListener?.listening) {
        const closed = new Promise((resolve) => metricsListener.close(resolve));
        metricsListener.closeAllConnections();
        await closed;
      }
    },
  };
}
