import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db/sql';
import { articleRows } from '../articles/article-rows';
import { listEach, loader } from '../graphql/batch';

const VERSIONS = `SELECT ${articleRows.select('a')} FROM article a
  WHERE (a.translation_of_id IN (:...originalIds) OR a.id IN (:...originalIds)) AND a.status = 'PUBLISHED'
  ORDER BY a.language, a.id`;

/**
 * Every published language version of an original (the original included), keyed by the original's
 * id. No card joins, as for related articles: a language switcher shows slugs, languages and
 * titles, and a client asking a version for its license or image loads those by id.
 */
export function versionsByOriginal(db: DataSource, tags: CacheTags) {
  return loader<number, Article[]>(async (originalIds) => {
    const rows = await query(db, VERSIONS, { originalIds });
    return listEach(
      originalIds,
      rows.map((r) => {
        const a = articleRows.read(r);
        tags.add('article', a.rowId);
        return [a.translationOfId ?? a.rowId, a];
      }),
    );
  });
}
