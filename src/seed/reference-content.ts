import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { ArticleStatus } from '../../entities/enums';
import { query, toSqlTime, writeTransaction } from '../db/sql';
import { projectRoot } from '../project-root';

interface SeedLicense {
  key: string;
  name: string;
  shortName: string;
  url: string | null;
  attributionRequired?: boolean;
  commercialUseAllowed?: boolean;
  derivativesAllowed?: boolean;
  shareAlike?: boolean;
}

interface SeedArticle {
  slug: string;
  kind: string;
  publication?: string;
  section?: string;
  title: string;
  displayTitle?: string;
  summary?: string;
  publishedOn: string;
  language: string;
  authors: string[];
  heroImage?: string;
  license?: string;
  body: string[] | null;
  related?: string[];
}

export interface SeedContent {
  publications: Array<{ key: string; name: string }>;
  licenses: SeedLicense[];
  images: Array<{ key: string; title: string; creator: string; sourceUrl: string; license: string }>;
  articles: SeedArticle[];
}

export function readSeedContent(): SeedContent {
  return JSON.parse(fs.readFileSync(path.join(projectRoot(), 'content', 'seed-content.json'), 'utf8')) as SeedContent;
}

async function idOf(tx: EntityManager, table: string, column: string, value: string): Promise<number> {
  const [row] = await query<{ id: number }>(tx, `SELECT id FROM ${table} WHERE ${column} = :value`, { value });
  return Number(row.id);
}

/**
 * Loads the reference archive page when the database holds no article yet. Facts the page does not
 * give (byline, the article license's version, the license flags) stay null or empty.
 */
export async function seedReferenceContent(db: DataSource): Promise<boolean> {
  const content = readSeedContent();
  return writeTransaction(db, async (tx) => {
    const [{ n }] = await query<{ n: number }>(tx, 'SELECT COUNT(*) AS n FROM article');
    if (Number(n) > 0) return false;
    const now = toSqlTime(new Date());
    for (const p of content.publications) {
      await query(tx, 'INSERT INTO publication (key, name) VALUES (:key, :name)', p);
    }
    for (const l of content.licenses) {
      await query(
        tx,
        `INSERT INTO license (key, name, short_name, url, attribution_required, commercial_use_allowed, derivatives_allowed, share_alike)
         VALUES (:key, :name, :shortName, :url, :attributionRequired, :commercialUseAllowed, :derivativesAllowed, :shareAlike)`,
        {
          ...l,
          attributionRequired: l.attributionRequired ?? null,
          commercialUseAllowed: l.commercialUseAllowed ?? null,
          derivativesAllowed: l.derivativesAllowed ?? null,
          shareAlike: l.shareAlike ?? null,
        },
      );
    }
    for (const i of content.images) {
      await query(
        tx,
        'INSERT INTO image (key, title, creator, source_url, license_id) VALUES (:key, :title, :creator, :sourceUrl, :licenseId)',
        { ...i, licenseId: await idOf(tx, 'license', 'key', i.license) },
      );
    }
    for (const a of content.articles) {
      await query(
        tx,
        `INSERT INTO article (slug, kind, title, display_title, publication_id, section, summary, body, language,
                              published_at, status, hero_image_id, license_id, created_at, updated_at)
         VALUES (:slug, :kind, :title, :displayTitle, :publicationId, :section, :summary, :body, :language,
                 :publishedAt, :status, :heroImageId, :licenseId, :now, :now)`,
        {
          slug: a.slug,
          kind: a.kind,
          title: a.title,
          displayTitle: a.displayTitle ?? null,
          publicationId: a.publication ? await idOf(tx, 'publication', 'key', a.publication) : null,
          section: a.section ?? null,
          summary: a.summary ?? null,
          body: a.body ? JSON.stringify(a.body) : null,
          language: a.language,
          publishedAt: toSqlTime(new Date(`${a.publishedOn}T00:00:00Z`)),
          status: ArticleStatus.PUBLISHED,
          heroImageId: a.heroImage ? await idOf(tx, 'image', 'key', a.heroImage) : null,
          licenseId: a.license ? await idOf(tx, 'license', 'key', a.license) : null,
          now,
        },
      );
    }
    for (const a of content.articles) {
      const articleId = await idOf(tx, 'article', 'slug', a.slug);
      for (const [position, slug] of (a.related ?? []).entries()) {
        await query(tx, 'INSERT INTO article_related (article_id, related_id, position) VALUES (:articleId, :relatedId, :position)', {
          articleId,
          relatedId: await idOf(tx, 'article', 'slug', slug),
          position,
        });
      }
    }
    return true;
  });
}
