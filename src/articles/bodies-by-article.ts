import type { DataSource } from 'typeorm';
import { query } from '../db/sql';
import { articleWithBodyRows } from './article-rows';
import { loader } from '../graphql/batch';

/** Article bodies, for lists that ask for them: list queries leave the large column out. */
export function bodiesByArticle(db: DataSource) {
  return loader<number, string[] | null>(async (ids) => {
    const rows = await query(db, `SELECT ${articleWithBodyRows.select('a')} FROM article a WHERE a.id IN (:...ids)`, { ids });
    const bodies = new Map(rows.map((r) => articleWithBodyRows.read(r)).map((a) => [a.rowId, a.body ?? null]));
    return ids.map((id) => bodies.get(id) ?? null);
  });
}
