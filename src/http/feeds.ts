import type { Express, Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../graphql/context';
import type { ExecutionGate } from '../graphql/execution-gate';
import { atom, FEED_TYPES, FeedFormat, jsonFeed, rss } from '../feeds/feed-formats';
import { FeedNotFound, FeedScope, FeedSite, readFeed } from '../feeds/feed-source';
import { tagHeaders } from '../cache/cache-tags';

const RENDER: Record<FeedFormat, typeof rss> = { rss, atom, json: jsonFeed };

/** `/feeds/articles.rss`, `/feeds/sections/Science.atom`, `/feeds/authors/<slug>.json`, `/feeds/languages/pt.rss`. */
const FEED_PATH = /^\/feeds\/(?:(articles)|sections\/([^/]+)|authors\/([^/]+)|languages\/([^/]+))\.(rss|atom|json)$/;

function scopeOf(path: string): { scope: FeedScope; format: FeedFormat } | null {
  const m = FEED_PATH.exec(path);
  if (!m) return null;
  let part: string;
  try {
    part = decodeURIComponent(m[2] ?? m[3] ?? m[4] ?? '');
  } catch {
    return null;
  }
  const format = m[5] as FeedFormat;
  if (m[1]) return { scope: { kind: 'all' }, format };
  if (m[2]) return { scope: { kind: 'section', section: part }, format };
  if (m[3]) return { scope: { kind: 'author', slug: part }, format };
  return { scope: { kind: 'language', language: part }, format };
}

export interface FeedRoutes {
  schema: GraphQLSchema;
  /** An anonymous caller's context: feeds show what anyone may see. */
  context: (req: Request) => Context;
  /** The site, with where links point (see public-origin.ts). */
  site: (req: Request) => FeedSite;
  executions: ExecutionGate;
}

/**
 * Feeds of published articles, newest first, in RSS 2.0, Atom 1.0 and JSON Feed 1.1. Each answer
 * carries Last-Modified (its newest entry's change) and an ETag, so a reader polling with
 * If-None-Match or If-Modified-Since gets 304, and the same Cache-Control as the article lists.
 */
export function mountFeeds(app: Express, routes: FeedRoutes): void {
  app.get('/feeds/{*rest}', async (req, res, next) => {
    const wanted = scopeOf(req.path);
    if (!wanted) return next();
    try {
      const context = routes.context(req);
      const source = await routes.executions.run(() => readFeed(routes.schema, context, wanted.scope, routes.site(req)));
      res.set({ 'cache-control': 'public, max-age=60', 'last-modified': source.updated.toUTCString(), ...tagHeaders(context.tags.toString()) });
      res.type(`${FEED_TYPES[wanted.format]}; charset=utf-8`).send(RENDER[wanted.format](source));
    } catch (err) {
      if (err instanceof FeedNotFound) return next();
      next(err);
    }
  });
}
