import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { tempDir } from './helpers/gateway';

// A refused setting is reported by its name and the problem; a secret's value, or a URL that
// may carry a password, never appears in what the start prints.

const ROOT = path.join(__dirname, '..');

/** Starts the built gateway with `env` and nothing else; resolves with its exit code and all it printed. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dir = tempDir();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SQLITE_PATH: path.join(dir, 'gateway.sqlite'), PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, output });
    }),
  );
}

const REFUSED: Array<[string, Record<string, string>, string, RegExp]> = [
  ['a short READER_ID_SECRET', { READER_ID_SECRET: 'hunter2-reader' }, 'hunter2-reader', /READER_ID_SECRET: must be at least 32 characters/],
  ['a DATABASE_URL of another database', { DATABASE_URL: 'mysql://gateway:hunter2-db@db.internal/content' }, 'hunter2-db', /DATABASE_URL: must be a postgres/],
  [
    'a DATABASE_REPLICA_URLS entry of another database',
    { DATABASE_URL: 'postgres://db.internal/content', DATABASE_REPLICA_URLS: 'postgres://r1/content, mysql://gateway:hunter2-replica@r2/content' },
    'hunter2-replica',
    /DATABASE_REPLICA_URLS\.1: must be a postgres/,
  ],
  ['a REDIS_URL without its scheme', { REDIS_URL: 'cache.internal://:hunter2-redis@cache:6379' }, 'hunter2-redis', /REDIS_URL: must be a redis/],
];

describe('a refused secret setting', () => {
  it.each(REFUSED)('%s is named without its value', (_name, env, secret, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).message).not.toContain(secret);
    expect((error as ConfigError).problems.join('\n')).not.toContain(secret);
  });

  it.each(REFUSED)('%s stops the gateway, which names it and prints no secret', async (_name, env, secret, message) => {
    const { code, output } = await start(env);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output).not.toContain(secret);
  });

  it('keeps showing the value of a setting that is not secret', () => {
    expect(() => loadConfig({ PORT: 'eighty', READER_ID_SECRET: 'hunter2-reader' })).toThrow(/PORT="eighty"/);
  });

  it('a DATABASE_URL the driver cannot read stops the gateway without printing its password', async () => {
    const { code, output } = await start({ DATABASE_URL: 'postgres://gateway:hunter2-port@127.0.0.1:notaport/content' });
    expect(code).toBe(1);
    expect(output).toMatch(/could not start/);
    expect(output).not.toContain('hunter2-port');
  });
});
