import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { articleColumns, toArticle } from '../rows';
import { loader, oneEach } from './batch';

export function articlesById(db: DataSource) {
  return loader<number, Article | null>(async (ids) => {
    const rows = await query(db, `SELECT ${articleColumns('a')} FROM article a WHERE a.id IN (:...ids) AND a.status = 'PUBLISHED'`, {
      ids,
    });
    return oneEach(ids, rows.map((r) => toArticle(r)), (a) => a.rowId);
  });
}
