import type { DataSource } from 'typeorm';
import { fromSqlTime, query, toSqlTime } from '../db/sql';

/** The sitemap protocol's limit of URLs per file. */
export const URLS_PER_SHARD = 50_000;
/** Google News reads at most this many URLs per news sitemap, of the last two days. */
const NEWS_LIMIT = 1000;
const NEWS_WINDOW_MS = 2 * 24 * 3600 * 1000;
/** Rows read at a time: what a shard holds in memory, however large the archive. */
const BATCH = 1000;

export interface SitemapShard {
  number: number;
  lastmod: Date;
}

export interface SitemapArticle {
  slug: string;
  language: string;
  updatedAt: Date;
  imageUrl: string | null;
  /** Every published language version of the article, itself included, when it has others. */
  versions: Array<{ slug: string; language: string }>;
}

export interface NewsArticle {
  slug: string;
  title: string;
  language: string;
  publishedAt: Date;
  publication: string | null;
}

/**
 * Shard n holds the published articles with ids in (n * 50,000, (n + 1) * 50,000]: never more
 * than the protocol allows, and found by the primary key alone, with no count or offset. The
 * index lists the shards that hold any, each with its newest change.
 */
export async function sitemapShards(db: DataSource): Promise<SitemapShard[]> {
  const rows = await query<{ shard: number; lastmod: unknown }>(
    db,
    `SELECT (id - 1) / ${URLS_PER_SHARD} AS shard, MAX(updated_at) AS lastmod FROM article WHERE status = 'PUBLISHED' GROUP BY (id - 1) / ${URLS_PER_SHARD} ORDER BY shard`,
  );
  return rows.map((r) => ({ number: Number(r.shard), lastmod: fromSqlTime(r.lastmod) as Date }));
}

/** A shard's articles in id order, a batch at a time, with their language versions. */
export async function* shardArticles(db: DataSource, shard: number): AsyncGenerator<SitemapArticle> {
  const end = (shard + 1) * URLS_PER_SHARD;
  for (let after = shard * URLS_PER_SHARD; after < end; ) {
    const rows = await query<{ id: number; slug: string; language: string; updated_at: unknown; root: number; image_url: string | null }>(
      db,
      `SELECT a.id, a.slug, a.language, a.updated_at, COALESCE(a.translation_of_id, a.id) AS root, i.source_url AS image_url
         FROM article a LEFT JOIN image i ON i.id = a.hero_image_id
        WHERE a.status = 'PUBLISHED' AND a.id > :after AND a.id <= :end ORDER BY a.id LIMIT ${BATCH}`,
      { after, end },
    );
    if (rows.length === 0) return;
    const versions = await versionsOf(db, [...new Set(rows.map((r) => Number(r.root)))]);
    for (const r of rows) {
      const group = versions.get(Number(r.root)) ?? [];
      yield {
        slug: r.slug,
        language: r.language,
        updatedAt: fromSqlTime(r.updated_at) as Date,
        imageUrl: r.image_url,
        versions: group.length > 1 ? group : [],
      };
    }
    if (rows.length < BATCH) return;
    after = Number(rows[rows.length - 1].id);
  }
}

/** The published members of each translation group: the original and its translations. */
async function versionsOf(db: DataSource, roots: number[]): Promise<Map<number, Array<{ slug: string; language: string }>>> {
  const rows = await query<{ root: number; slug: string; language: string }>(
    db,
    `SELECT COALESCE(translation_of_id, id) AS root, slug, language FROM article
      WHERE status = 'PUBLISHED' AND (id IN (:...roots) OR translation_of_id IN (:...roots)) ORDER BY id`,
    { roots },
  );
  const groups = new Map<number, Array<{ slug: string; language: string }>>();
  for (const r of rows) {
    const group = groups.get(Number(r.root)) ?? [];
    group.push({ slug: r.slug, language: r.language });
    groups.set(Number(r.root), group);
  }
  return groups;
}

export async function hasNews(db: DataSource, now = new Date()): Promise<boolean> {
  const rows = await query(db, `SELECT id FROM article WHERE status = 'PUBLISHED' AND published_at >= :since LIMIT 1`, {
    since: toSqlTime(new Date(now.getTime() - NEWS_WINDOW_MS)),
  });
  return rows.length > 0;
}

/** Articles published in the last two days, newest first, for Google News. */
export async function newsArticles(db: DataSource, now = new Date()): Promise<NewsArticle[]> {
  const rows = await query<{ slug: string; title: string; language: string; published_at: unknown; publication: string | null }>(
    db,
    `SELECT a.slug, a.title, a.language, a.published_at, p.name AS publication
       FROM article a LEFT JOIN publication p ON p.id = a.publication_id
      WHERE a.status = 'PUBLISHED' AND a.published_at >= :since ORDER BY a.published_at DESC, a.id DESC LIMIT ${NEWS_LIMIT}`,
    { since: toSqlTime(new Date(now.getTime() - NEWS_WINDOW_MS)) },
  );
  return rows.map((r) => ({ slug: r.slug, title: r.title, language: r.language, publishedAt: fromSqlTime(r.published_at) as Date, publication: r.publication }));
}
