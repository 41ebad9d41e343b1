import { spawnSync } from 'node:child_process';

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
