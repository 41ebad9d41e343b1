import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', dbDriver: 'better-sqlite3', logLevel: 'info', nodeEnv: 'development' });
    expect(config.sqlitePath).toBe(path.resolve('data', 'gateway.sqlite'));
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      SQLITE_PATH: '/tmp/x.sqlite',
      DB_DRIVER: 'better-sqlite3',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'staging:',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      READER_ID_SECRET: 'a'.repeat(32),
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      sqlitePath: '/tmp/x.sqlite',
      dbDriver: 'better-sqlite3',
      redisUrl: 'redis://127.0.0.1:6379',
      redisKeyPrefix: 'staging:',
      logLevel: 'debug',
      nodeEnv: 'production',
    });
  });

  it('runs on PostgreSQL when DATABASE_URL is set, with a bounded pool: 10 connections, 2 s to connect, 5 s per statement', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db.internal/content', DATABASE_REPLICA_URLS: 'postgres://r1/content, postgres://r2/content' });
    expect(config.postgres).toEqual({
      url: 'postgres://db.internal/content',
      replicaUrls: ['postgres://r1/content', 'postgres://r2/content'],
      poolMax: 10,
      connectTimeoutMs: 2000,
      statementTimeoutMs: 5000,
      idleTimeoutMs: 10_000,
    });
    expect(loadConfig({}).postgres).toBeUndefined();
  });

  it('keeps a 64 MB response cache by default, none with read replicas unless told to', () => {
    expect(loadConfig({}).responseCacheBytes).toBe(64 * 2 ** 20);
    expect(loadConfig({ RESPONSE_CACHE_MB: '0' }).responseCacheBytes).toBe(0);
    const replicas = { DATABASE_URL: 'postgres://db.internal/content', DATABASE_REPLICA_URLS: 'postgres://replica.internal/content' };
    expect(loadConfig(replicas).responseCacheBytes).toBe(0);
    expect(loadConfig({ ...replicas, RESPONSE_CACHE_MB: '16' }).responseCacheBytes).toBe(16 * 2 ** 20);
  });

  it('limits GraphQL executions at once to 8 on sqlite3 and PostgreSQL, not on better-sqlite3, unless told otherwise', () => {
    expect(loadConfig({}).maxConcurrentExecutions).toBe(0);
    expect(loadConfig({ DB_DRIVER: 'sqlite3' }).maxConcurrentExecutions).toBe(8);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.internal/content' }).maxConcurrentExecutions).toBe(8);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.internal/content', DB_DRIVER: 'better-sqlite3' }).maxConcurrentExecutions).toBe(8);
    expect(loadConfig({ MAX_CONCURRENT_EXECUTIONS: '0' }).maxConcurrentExecutions).toBe(0);
    expect(loadConfig({ DB_DRIVER: 'better-sqlite3', MAX_CONCURRENT_EXECUTIONS: '16' }).maxConcurrentExecutions).toBe(16);
  });

  it.each([
    ['PORT', 'eighty', /PORT="eighty"/],
    ['PORT', '70000', /PORT="70000"/],
    ['DB_DRIVER', 'mysql', /DB_DRIVER="mysql"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud"/],
    ['NODE_ENV', 'staging', /NODE_ENV="staging"/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: .*redis:\/\//],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: .*postgres/],
    ['DATABASE_REPLICA_URLS', 'postgres://127.0.0.1/replica', /DATABASE_REPLICA_URLS: read replicas need DATABASE_URL/],
    ['DB_CONNECT_TIMEOUT_MS', '0', /DB_CONNECT_TIMEOUT_MS="0"/],
    ['DB_POOL_MAX', '0', /DB_POOL_MAX="0"/],
    ['DB_STATEMENT_TIMEOUT_MS', 'forever', /DB_STATEMENT_TIMEOUT_MS="forever"/],
    ['READER_ID_SECRET', 'short', /READER_ID_SECRET: .*32 characters/],
    ['MAX_CONCURRENT_EXECUTIONS', '-1', /MAX_CONCURRENT_EXECUTIONS="-1"/],
    ['MAX_CONCURRENT_EXECUTIONS', 'some', /MAX_CONCURRENT_EXECUTIONS="some"/],
    ['PUBLIC_BASE_URL', 'magazine.example', /PUBLIC_BASE_URL="magazine.example": must be an http/],
    ['PUBLIC_BASE_URL', 'ftp://magazine.example', /PUBLIC_BASE_URL="ftp:\/\/magazine.example"/],
    ['PUBLIC_BASE_URL', 'https://magazine.example/?edition=1', /PUBLIC_BASE_URL=.*query or fragment/],
    ['FEED_ENTRIES', '0', /FEED_ENTRIES="0"/],
    ['FEED_ENTRIES', '501', /FEED_ENTRIES="501"/],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
