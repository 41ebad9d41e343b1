import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { Author } from '../../entities/author.entity';
import { query } from '../db/sql';
import { authorRows, tagged } from './author-rows';
import { listEach, loader } from '../graphql/batch';

export function authorsByArticle(db: DataSource, tags: CacheTags) {
  return loader<number, Author[]>(async (articleIds) => {
    const rows = await query(
      db,
      `SELECT aa.article_id AS owner_id, ${authorRows.select('au')}
         FROM article_author aa JOIN author au ON au.id = aa.author_id
        WHERE aa.article_id IN (:...articleIds)
        ORDER BY aa.article_id, aa.position`,
      { articleIds },
    );
    return listEach(articleIds, rows.map((r) => [Number(r.owner_id), tagged(tags, authorRows.read(r))]));
  });
}
