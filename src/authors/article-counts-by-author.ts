import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import { query } from '../db/sql';
import { loader } from '../graphql/batch';

export function articleCountsByAuthor(db: DataSource, tags: CacheTags) {
  return loader<number, number>(async (authorIds) => {
    tags.addList('articles');
    const rows = await query(
      db,
      `SELECT aa.author_id AS author_id, COUNT(*) AS n
         FROM article_author aa JOIN article a ON a.id = aa.article_id
        WHERE aa.author_id IN (:...authorIds) AND a.status = 'PUBLISHED'
        GROUP BY aa.author_id`,
      { authorIds },
    );
    const counts = new Map(rows.map((r) => [Number(r.author_id), Number(r.n)]));
    return authorIds.map((id) => counts.get(id) ?? 0);
  });
}
