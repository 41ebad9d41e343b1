import type { Express, NextFunction, Response } from 'express';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SitemapIndexStream, SitemapItemLoose, SitemapStream } from 'sitemap';
import type { DataSource } from 'typeorm';
import type { Logger } from '../observability/logger';
import type { PublicOrigin } from './public-origin';
import { tagHeaders } from '../cache/cache-tags';
import { hasNews, newsArticles, shardArticles, sitemapShards, SitemapArticle, SitemapShard } from '../sitemaps/sitemap-source';
import type { ContentVersion } from '../cache/content-version';

export interface SitemapRoutes {
  db: DataSource;
  /** Where links point (see public-origin.ts). */
  baseUrl: PublicOrigin;
  /** Names the publication in the news sitemap when an article has none of its own. */
  siteName: string;
  log: Logger;
  /** The index is computed once per content version: at 1,000,000 articles it is a scan of them all. */
  version: ContentVersion;
}

// Any publication, unpublication or edit can change a sitemap: `sitemaps` is in each one's cache keys.
const HEADERS = { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=60', ...tagHeaders('sitemaps') };

function readerUrl(base: string, slug: string): string {
  return `${base}/read/${encodeURIComponent(slug)}`;
}

/** Google News names languages by ISO 639 code, except Chinese, which it tells apart by script. */
function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return /hant|tw|hk|mo/.test(lower) ? 'zh-tw' : 'zh-cn';
  return lower.split('-')[0];
}

function entry(base: string, article: SitemapArticle): SitemapItemLoose {
  return {
    url: readerUrl(base, article.slug),
    lastmod: article.updatedAt.toISOString(),
    links: article.versions.map((v) => ({ lang: v.language, url: readerUrl(base, v.slug) })),
    img: article.imageUrl ? [{ url: article.imageUrl }] : [],
  };
}

/**
 * Joins the sitemap stream's chunks, one per URL, into writes of about 64 KiB: a socket write per
 * URL cost more than everything else a shard does.
 */
function coalesced(size = 64 * 1024): Transform {
  let held: Buffer[] = [];
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      held.push(chunk);
      bytes += chunk.length;
      if (bytes >= size) {
        this.push(Buffer.concat(held));
        held = [];
        bytes = 0;
      }
      done();
    },
    flush(done) {
      if (bytes > 0) this.push(Buffer.concat(held));
      done();
    },
  });
}

/**
 * Sends `items` through a sitemap stream. The first item is read before anything is sent, so that
 * an empty sitemap (which the protocol does not allow) is a 404 and a failing database a 500; a
 * failure later can only cut the answer short.
 */
async function send(res: Response, next: NextFunction, log: Logger, items: AsyncGenerator<SitemapItemLoose>, xml: SitemapStream | SitemapIndexStream) {
  let first: IteratorResult<SitemapItemLoose>;
  try {
    first = await items.next();
  } catch (err) {
    return next(err);
  }
  if (first.done) return next();
  res.set(HEADERS);
  async function* all() {
    yield first.value as SitemapItemLoose;
    yield* items;
  }
  try {
    await pipeline(Readable.from(all()), xml, coalesced(), res);
  } catch (err) {
    log.error({ err }, 'a sitemap answer was cut short');
  }
}

/**
 * `/sitemap.xml` (an index), its shards `/sitemaps/articles-<n>.xml` of at most 50,000 URLs with
 * `lastmod`, hreflang alternates and the hero image, `/sitemaps/news.xml` (Google News, the last
 * two days; listed, and served, while anything is that new), and a `/robots.txt` that names the
 * index. Shards are read a batch at a time and streamed, so serving one takes the same memory at
 * any archive size.
 */
export function mountSitemaps(app: Express, routes: SitemapRoutes): void {
  const { db, log } = routes;
  let index: { version: string; shards: Promise<SitemapShard[]> } | undefined;
  const shardsNow = async () => {
    const version = await routes.version.current();
    if (index?.version !== version) {
      const shards = sitemapShards(db);
      index = { version, shards };
      shards.catch(() => (index = undefined));
    }
    return index.shards;
  };

  app.get('/robots.txt', (req, res) => {
    res.type('text/plain').set('cache-control', 'public, max-age=3600').send(`User-agent: *\nDisallow: /playground\nSitemap: ${routes.baseUrl(req)}/sitemap.xml\n`);
  });

  app.get('/sitemap.xml', async (req, res, next) => {
    const base = routes.baseUrl(req);
    async function* shards() {
      for (const shard of await shardsNow()) yield { url: `${base}/sitemaps/articles-${shard.number}.xml`, lastmod: shard.lastmod.toISOString() };
      if (await hasNews(db)) yield { url: `${base}/sitemaps/news.xml` };
    }
    await send(res, next, log, shards(), new SitemapIndexStream());
  });

  app.get('/sitemaps/news.xml', async (req, res, next) => {
    const base = routes.baseUrl(req);
    async function* news(): AsyncGenerator<SitemapItemLoose> {
      for (const a of await newsArticles(db)) {
        yield {
          url: readerUrl(base, a.slug),
          news: {
            publication: { name: a.publication ?? routes.siteName, language: newsLanguage(a.language) },
            publication_date: a.publishedAt.toISOString(),
            title: a.title,
          },
        };
      }
    }
    await send(res, next, log, news(), new SitemapStream({ xmlns: { news: true, xhtml: false, image: false, video: false } }));
  });

  app.get('/sitemaps/articles-:shard.xml', async (req, res, next) => {
    const shard = Number(req.params.shard);
    if (!/^\d{1,6}$/.test(req.params.shard) || !Number.isSafeInteger(shard)) return next();
    const base = routes.baseUrl(req);
    async function* urls() {
      for await (const article of shardArticles(db, shard)) yield entry(base, article);
    }
    await send(res, next, log, urls(), new SitemapStream({ xmlns: { news: false, xhtml: true, image: true, video: false } }));
  });
}
