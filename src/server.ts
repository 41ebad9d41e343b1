import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { NextFunction, Request, Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { AppDeps, Context, createContext } from './context';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { errorMaskingPlugin } from './plugins/error-masking.plugin';
import { metricsPlugin } from './plugins/metrics.plugin';
import { createSchema } from './schema';
import { loadReaderSecret } from './services/reader-identity';

export interface ServerDeps {
  config: Pick<Config, 'nodeEnv' | 'readerIdSecret'>;
  db: DataSource;
  log: Logger;
  metrics: Metrics;
}

export interface Gateway {
  httpServer: http.Server;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/** One HTTP server: GraphQL at /graphql, health checks and metrics. */
export async function createServer({ config, db, log, metrics }: ServerDeps): Promise<Gateway> {
  const deps: AppDeps = { db, log, readerSecret: await loadReaderSecret(db, config.readerIdSecret) };
  const app = express();
  const httpServer = http.createServer(app);
  const production = config.nodeEnv === 'production';
  let stopping = false;

  const apollo = new ApolloServer<Context>({
    schema: await createSchema(),
    introspection: !production,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Cache hints are not used yet, and the plugin instruments every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      metricsPlugin(metrics),
      errorMaskingPlugin(),
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (stopping) return void res.status(503).json({ status: 'shutting down' });
    try {
      await db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, { context: async ({ req }) => createContext(deps, req.headers) }),
  );
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'unexpected HTTP error');
    res.status(status).json({
      errors: [
        {
          message: status === 500 ? 'Internal server error.' : `Bad request: ${err.message}`,
          extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' },
        },
      ],
    });
  });

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        });
      }),
    stop: async () => {
      stopping = true;
      await apollo.stop();
    },
  };
}
