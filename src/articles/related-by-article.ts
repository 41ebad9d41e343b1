import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db/sql';
import { articleRows } from './article-rows';
import { listEach, loader } from '../graphql/batch';

const RELATED = `SELECT r.article_id AS owner_id, ${articleRows.select('a')}
  FROM article_related r JOIN article a ON a.id = r.related_id
  WHERE r.article_id IN (:...articleIds) AND a.status = 'PUBLISHED'
  ORDER BY r.article_id, r.position`;

/**
 * The curated "You may also like" list of each article, published items only, in the editors' order.
 * Unlike the other article queries it joins no card relations: related lists show titles, dates
 * and summaries, and the joins cost more than they saved.
 */
export function relatedByArticle(db: DataSource, tags: CacheTags) {
  return loader<number, Article[]>(async (articleIds) => {
    const rows = await query(db, RELATED, { articleIds });
    return listEach(articleIds, rows.map((r) => {
      const article = articleRows.read(r);
      tags.add('article', article.rowId);
      return [Number(r.owner_id), article];
    }));
  });
}
