import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { articleColumns, toArticle } from '../rows';
import { listEach, loader } from './batch';

/** Every published language version of an original (the original included), keyed by the original's id. */
export function versionsByOriginal(db: DataSource) {
  return loader<number, Article[]>(async (originalIds) => {
    const rows = await query(
      db,
      `SELECT ${articleColumns('a')} FROM article a
        WHERE (a.translation_of_id IN (:...originalIds) OR a.id IN (:...originalIds)) AND a.status = 'PUBLISHED'
        ORDER BY a.language, a.id`,
      { originalIds },
    );
    return listEach(
      originalIds,
      rows.map((r) => {
        const a = toArticle(r);
        return [a.translationOfId ?? a.rowId, a];
      }),
    );
  });
}
