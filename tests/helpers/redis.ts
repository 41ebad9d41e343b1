import Redis from 'ioredis';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from './ports';

/**
 * Whether a Redis answers at 127.0.0.1:6379. Tests that need it say so in their names; under CI they
 * must run (a missing Redis fails them), on a developer machine without Redis they are skipped.
 */
export function redisAvailable(): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const s = require('net').connect(6379, '127.0.0.1');
       s.setTimeout(1000, () => process.exit(1));
       s.on('connect', () => s.write('PING\\r\\n'));
       s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));
       s.on('error', () => process.exit(1));`,
    ],
    { timeout: 3000 },
  );
  if (probe.status === 0) return true;
  if (process.env.CI === 'true') throw new Error('CI needs the Redis at 127.0.0.1:6379 and none answered');
  return false;
}

/** A redis-server of the test's own on a free port, which the test may stop and start again. */
export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  kill(): void;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const redis: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor(async () => {
        const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          return (await client.ping().catch(() => '')) === 'PONG';
        } finally {
          client.disconnect();
        }
      });
    },
    kill() {
      server?.kill('SIGKILL');
    },
  };
  await redis.start();
  return redis;
}

export async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
