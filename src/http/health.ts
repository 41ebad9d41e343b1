import type express from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from '../observability/logger';

/** /healthz: the process answers. /readyz: it should get traffic (not shutting down, its schema in place, the database reachable). */
export function mountHealthChecks(app: express.Express, { db, isStopping, log }: { db: DataSource; isStopping: () => boolean; log: Logger }): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (isStopping()) return void res.status(503).json({ status: 'shutting down' });
    try {
      // Ready means this code's schema is in place: a rolling upgrade must not route to it before.
      if (await db.showMigrations()) return void res.status(503).json({ status: 'database not migrated' });
      res.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
}
