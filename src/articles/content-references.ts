import type { EntityManager } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { ArticleKind, ArticleStatus } from '../../entities/enums';
import { insertOne, query, toSqlTime } from '../db/sql';
import { notFoundError } from '../graphql/errors';
import { expectGlobalId, NodeTypeName } from '../graphql/global-id';
import { articleWithBodyRows } from './article-rows';
import { fieldError } from './editor-input';

// Lookups editor writes make inside their transaction, whatever the status of the rows: an
// editor's input may point at drafts, and a reference checked here cannot vanish before commit.

/** Any article, draft or published, with its body; NOT_FOUND naming the argument otherwise. */
export async function articleForUpdate(tx: EntityManager, rowId: number, argName: string): Promise<Article> {
  const [row] = await query(tx, `SELECT ${articleWithBodyRows.select('a')} FROM article a WHERE a.id = :rowId`, { rowId });
  if (!row) throw notFoundError(`${argName}: no article has this id.`);
  return articleWithBodyRows.read(row);
}

/** Row ids for a list of global ids of one type, all of which must exist. */
export async function existingIds(
  tx: EntityManager,
  table: 'author' | 'article',
  type: NodeTypeName,
  ids: string[],
  field: string,
): Promise<number[]> {
  const rowIds = ids.map((id) => expectGlobalId(id, type, field));
  if (rowIds.length === 0) return [];
  const rows = await query<{ id: number }>(tx, `SELECT id FROM ${table} WHERE id IN (:...rowIds)`, { rowIds });
  const found = new Set(rows.map((r) => Number(r.id)));
  const missing = ids.filter((_, i) => !found.has(rowIds[i]));
  if (missing.length > 0) throw fieldError(field, `lists ids that match no ${type.toLowerCase()}: ${missing.join(', ')}`);
  return rowIds;
}

/** The row id of a license, image or publication named in an input; null when the input clears it. */
export async function referenceId(
  tx: EntityManager,
  table: 'license' | 'publication',
  key: string | null,
  field: string,
): Promise<number | null> {
  if (key === null) return null;
  const [row] = await query<{ id: number }>(tx, `SELECT id FROM ${table} WHERE key = :key`, { key });
  if (!row) throw fieldError(field, `"${key.slice(0, 100)}" matches no ${table}`);
  return Number(row.id);
}

export async function imageId(tx: EntityManager, id: string | null, field: string): Promise<number | null> {
  if (id === null) return null;
  const rowId = expectGlobalId(id, 'Image', field);
  const [row] = await query(tx, 'SELECT id FROM image WHERE id = :rowId', { rowId });
  if (!row) throw fieldError(field, 'matches no image');
  return rowId;
}

/** Slugs are unique among all articles, drafts included. */
export async function assertSlugFree(
  tx: EntityManager,
  table: 'article' | 'author',
  slug: string,
  field: string,
  exceptRowId?: number,
): Promise<void> {
  const [row] = await query(tx, `SELECT id FROM ${table} WHERE slug = :slug AND id <> :exceptRowId`, {
    slug,
    exceptRowId: exceptRowId ?? 0,
  });
  if (row) throw fieldError(field, `"${slug}" is already used by another ${table}`);
}

export interface NewArticle {
  slug: string;
  kind: ArticleKind;
  title: string;
  displayTitle: string | null;
  publicationId: number | null;
  section: string | null;
  summary: string | null;
  body: string[] | null;
  language: string;
  status: ArticleStatus;
  heroImageId: number | null;
  licenseId: number | null;
  translationOfId: number | null;
}

/** Inserts an editor's article (published now when its status says so) and returns its row id. */
export async function insertArticle(tx: EntityManager, a: NewArticle): Promise<number> {
  const now = toSqlTime(new Date());
  return insertOne(
    tx,
    `INSERT INTO article (slug, kind, title, display_title, publication_id, section, summary, body, language,
                          published_at, status, hero_image_id, license_id, translation_of_id, synthetic, created_at, updated_at)
     VALUES (:slug, :kind, :title, :displayTitle, :publicationId, :section, :summary, :body, :language,
             :publishedAt, :status, :heroImageId, :licenseId, :translationOfId, :synthetic, :now, :now)`,
    {
      ...a,
      body: a.body == null ? null : JSON.stringify(a.body),
      publishedAt: a.status === ArticleStatus.PUBLISHED ? now : null,
      synthetic: false,
      now,
    },
  );
}
