import pino, { Logger } from 'pino';
import type { Config } from '../config';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'content-gateway' },
    redact: { paths: ['req.headers.authorization', 'req.headers["x-reader-id"]'], remove: true },
  });
}
