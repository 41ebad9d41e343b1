import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { articleColumns, toArticle } from '../rows';
import { loader, oneEach } from './batch';

export function articlesBySlug(db: DataSource) {
  return loader<string, Article | null>(async (slugs) => {
    const rows = await query(
      db,
      `SELECT ${articleColumns('a')} FROM article a WHERE a.slug IN (:...slugs) AND a.status = 'PUBLISHED'`,
      { slugs },
    );
    return oneEach(slugs, rows.map((r) => toArticle(r)), (a) => a.slug);
  });
}
