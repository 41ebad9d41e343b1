import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', dbDriver: 'sqlite3', logLevel: 'info', nodeEnv: 'development' });
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

  it.each([
    ['PORT', 'eighty', /PORT="eighty"/],
    ['PORT', '70000', /PORT="70000"/],
    ['DB_DRIVER', 'mysql', /DB_DRIVER="mysql"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud"/],
    ['NODE_ENV', 'staging', /NODE_ENV="staging"/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL="localhost:6379".*redis:\/\//],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x".*postgres/],
    ['DATABASE_URL', 'postgres://127.0.0.1/db', /DATABASE_URL: PostgreSQL is not supported by this version yet/],
    ['READER_ID_SECRET', 'short', /READER_ID_SECRET="short".*32 characters/],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
