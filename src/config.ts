import fs from 'node:fs';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { DEFAULT_LIMITS, OperationLimits } from './graphql/checks/limits';
import type { WebhookSettings } from './webhooks/dispatcher';

const port = z.coerce.number().int().min(0).max(65535);
const positive = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');

const schema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: port.min(1).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SQLITE_PATH: z.string().min(1).default(path.join('data', 'gateway.sqlite')),
  DB_DRIVER: z.enum(['better-sqlite3', 'sqlite3']).default('better-sqlite3'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_REPLICA_URLS: z
    .string()
    .transform((list) => list.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(postgresUrl))
    .optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(5000),
  DB_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  READER_ID_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INTROSPECTION: flag.optional(),
  PLAYGROUND: flag.optional(),
  MAX_DEPTH: positive(DEFAULT_LIMITS.maxDepth),
  MAX_ALIASES: positive(DEFAULT_LIMITS.maxAliases),
  MAX_DIRECTIVES: positive(DEFAULT_LIMITS.maxDirectives),
  MAX_ROOT_FIELDS: positive(DEFAULT_LIMITS.maxRootFields),
  MAX_TOKENS: positive(DEFAULT_LIMITS.maxTokens),
  MAX_DOCUMENT_CHARS: positive(DEFAULT_LIMITS.maxDocumentChars),
  MAX_COST: positive(DEFAULT_LIMITS.maxCost),
  TRANSLATION_REQUESTS_PER_MINUTE: positive(10),
  REQUEST_TIMEOUT_MS: positive(10_000),
  MAX_CONCURRENT_REQUESTS_PER_ADDRESS: positive(100),
  MAX_CONCURRENT_EXECUTIONS: z.coerce.number().int().min(0).max(100_000).optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('content-gateway:'),
  EVENT_POLL_INTERVAL_MS: positive(2000),
  WS_INIT_TIMEOUT_MS: positive(3000),
  WS_MAX_SUBSCRIPTIONS: positive(20),
  WS_MAX_PAYLOAD_BYTES: positive(64 * 1024),
  WS_MAX_SOCKETS_PER_ADDRESS: positive(10),
  WS_MAX_REPLAYS_PER_ADDRESS: positive(2),
  WS_KEEPALIVE_MS: positive(12_000),
  WEBHOOK_ALLOW_PRIVATE_URLS: flag.default(false),
  WEBHOOK_TIMEOUT_MS: positive(5000),
  WEBHOOK_RETRY_BASE_MS: positive(30_000),
  WEBHOOK_RETRY_FOR_MS: z.coerce.number().int().min(1).max(7 * 24 * 3600 * 1000).default(24 * 3600 * 1000),
  WEBHOOK_DISABLE_AFTER_FAILURES: positive(20),
  WEBHOOK_POLL_INTERVAL_MS: positive(1000),
  RESPONSE_CACHE_MB: z.coerce.number().int().min(0).max(16_384).optional(),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine((url) => !/[?#]/.test(url), 'must not have a query or fragment')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  SITE_NAME: z.string().trim().min(1).max(200).default('Archive'),
  FEED_ENTRIES: z.coerce.number().int().min(1).max(500).default(50),
  ALLOWED_OPERATIONS_DIR: z
    .string()
    .refine((dir) => fs.existsSync(dir) && fs.statSync(dir).isDirectory(), 'must be an existing folder of .graphql files')
    .optional(),
});

/**
 * Variables that hold a secret or may (a database or Redis URL carries its password): a problem
 * with one is reported by its name only, since start errors end up in terminals and log files.
 */
const SECRETS = new Set(['READER_ID_SECRET', 'DATABASE_URL', 'DATABASE_REPLICA_URLS', 'REDIS_URL', 'METRICS_TOKEN']);

export interface Config {
  port: number;
  host: string;
  metrics: MetricsAccess;
  sqlitePath: string;
  dbDriver: 'sqlite3' | 'better-sqlite3';
  /** Set when DATABASE_URL is: the gateway then runs on PostgreSQL and the SQLite settings are unused. */
  postgres?: PostgresSettings;
  redisUrl?: string;
  /** Namespace of every Redis key, so that deployments can share one Redis. */
  redisKeyPrefix: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  nodeEnv: 'development' | 'production' | 'test';
  readerIdSecret?: string;
  /** Schema introspection and field suggestions; on outside production unless set. */
  introspection: boolean;
  /** GraphiQL at /playground (and /graphql for browsers); on outside production unless set. */
  playground: boolean;
  limits: OperationLimits;
  translationRequestsPerMinute: number;
  /** How long one GraphQL request may take before the client is told it timed out. */
  requestTimeoutMs: number;
  /** GraphQL requests one client address may have in flight; more get 429. */
  maxConcurrentRequestsPerAddress: number;
  /**
   * GraphQL queries and mutations (over HTTP or a WebSocket) executing at once, the rest waiting
   * their turn (0: no limit). By default 8 on sqlite3 and PostgreSQL, whose statements are awaited
   * (see execution-gate.ts); none on better-sqlite3, whose requests run to their end without
   * awaiting, where the gate would only add its own cost.
   */
  maxConcurrentExecutions: number;
  /** Proxies in front of the gateway whose X-Forwarded-For entries are believed (0: the header is ignored). */
  trustProxy: number;
  /** While anyone subscribes, how often the event log is read for events no notification announced. */
  eventPollIntervalMs: number;
  webSocket: WebSocketLimits;
  /** When set, only the operations written in this folder's .graphql files run. */
  allowedOperationsDir?: string;
  webhooks: WebhookSettings;
  /** Memory for whole answers of anonymous queries, kept in this process while current (0: no response cache). */
  responseCacheBytes: number;
  /** On SIGTERM, how long /readyz says 503 while traffic is still served, before the drain. */
  shutdownDelayMs: number;
  publishing: PublishingSettings;
}

/** What the feeds (and the pages they link to) say about the site. */
export interface PublishingSettings {
  /** Where readers reach the gateway (no trailing slash); unset, links use the request's own origin. */
  publicBaseUrl?: string;
  /** Names the site in feed titles, and as their author where an entry has no byline of its own. */
  siteName: string;
  feedEntries: number;
}

/**
 * Where GET /metrics is served. Metrics tell anyone who reads them how busy the gateway is and
 * which operations clients run, so the main port serves them only to a bearer of the token, or,
 * without one, only when it listens on loopback (the default HOST); elsewhere a port of their own
 * keeps them off the public one.
 */
export interface MetricsAccess {
  /** A listener of its own for /metrics, on the same host as the gateway; the main port then has none. */
  port?: number;
  /** When set, /metrics answers only `Authorization: Bearer <token>`, on whichever port serves it. */
  token?: string;
  /** Without METRICS_PORT: with a token, or on a loopback HOST. Otherwise the main port answers 404 for /metrics. */
  onMainPort: boolean;
}

export interface PostgresSettings {
  url: string;
  /** Read-only copies; reads outside a transaction go to them (TypeORM replication). */
  replicaUrls: string[];
  /** Connections per pool (each instance holds one pool per server it talks to). */
  poolMax: number;
  /** How long to wait for a connection before the request fails; never unbounded. */
  connectTimeoutMs: number;
  /** PostgreSQL's statement_timeout for every session. */
  statementTimeoutMs: number;
  idleTimeoutMs: number;
}

export interface WebSocketLimits {
  /** A socket that sends no connection_init within this time is closed with 4408. */
  initTimeoutMs: number;
  maxSubscriptions: number;
  /** A larger message closes the socket with 1009. */
  maxPayloadBytes: number;
  maxSocketsPerAddress: number;
  /** Subscriptions of one client address reading events older than the feed keeps in memory at once; the others wait their turn. */
  maxReplaysPerAddress: number;
  /** Ping interval; a peer that misses a pong by the next ping is dropped. */
  keepAliveMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; every problem is reported by the variable's name (and value, unless secret). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankAsUnset = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(blankAsUnset);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const where = issue.path.join('.');
        return SECRETS.has(name) ? `${where}: ${issue.message}` : `${where}=${JSON.stringify(env[name])}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.DATABASE_REPLICA_URLS?.length && !e.DATABASE_URL) {
    throw new ConfigError(['DATABASE_REPLICA_URLS: read replicas need DATABASE_URL (the primary) as well.']);
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) {
    throw new ConfigError([`METRICS_PORT=${e.METRICS_PORT}: must differ from PORT, which serves GraphQL.`]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    metrics: {
      port: e.METRICS_PORT,
      token: e.METRICS_TOKEN,
      onMainPort: e.METRICS_PORT === undefined && (e.METRICS_TOKEN !== undefined || isLoopback(e.HOST)),
    },
    sqlitePath: path.resolve(e.SQLITE_PATH),
    dbDriver: e.DB_DRIVER,
    postgres: e.DATABASE_URL
      ? {
          url: e.DATABASE_URL,
          replicaUrls: e.DATABASE_REPLICA_URLS ?? [],
          poolMax: e.DB_POOL_MAX,
          connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
          idleTimeoutMs: e.DB_IDLE_TIMEOUT_MS,
        }
      : undefined,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    readerIdSecret: e.READER_ID_SECRET,
    introspection: e.INTROSPECTION ?? e.NODE_ENV !== 'production',
    playground: e.PLAYGROUND ?? e.NODE_ENV !== 'production',
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxRootFields: e.MAX_ROOT_FIELDS,
      maxTokens: e.MAX_TOKENS,
      maxDocumentChars: e.MAX_DOCUMENT_CHARS,
      maxCost: e.MAX_COST,
    },
    translationRequestsPerMinute: e.TRANSLATION_REQUESTS_PER_MINUTE,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    maxConcurrentRequestsPerAddress: e.MAX_CONCURRENT_REQUESTS_PER_ADDRESS,
    maxConcurrentExecutions: e.MAX_CONCURRENT_EXECUTIONS ?? (!e.DATABASE_URL && e.DB_DRIVER === 'better-sqlite3' ? 0 : 8),
    trustProxy: e.TRUST_PROXY,
    eventPollIntervalMs: e.EVENT_POLL_INTERVAL_MS,
    allowedOperationsDir: e.ALLOWED_OPERATIONS_DIR && path.resolve(e.ALLOWED_OPERATIONS_DIR),
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    // A read replica may lag behind the commit that moved the content version on, and what a cache
    // miss read from it would be kept as current: with replicas the cache is opt-in.
    responseCacheBytes: (e.RESPONSE_CACHE_MB ?? (e.DATABASE_REPLICA_URLS?.length ? 0 : 64)) * 2 ** 20,
    publishing: { publicBaseUrl: e.PUBLIC_BASE_URL, siteName: e.SITE_NAME, feedEntries: e.FEED_ENTRIES },
    webhooks: {
      allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryForMs: e.WEBHOOK_RETRY_FOR_MS,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
      pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
    },
    webSocket: {
      initTimeoutMs: e.WS_INIT_TIMEOUT_MS,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      maxSocketsPerAddress: e.WS_MAX_SOCKETS_PER_ADDRESS,
      maxReplaysPerAddress: e.WS_MAX_REPLAYS_PER_ADDRESS,
      keepAliveMs: e.WS_KEEPALIVE_MS,
    },
  };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}
