import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { CardLoaders, cardColumns, cardJoins, readCard } from './article-cards';
import { listEach, loader } from './batch';

/** The curated "You may also like" list of each article, published items only, in the editors' order. */
export function relatedByArticle(db: DataSource, cards: CardLoaders) {
  return loader<number, Article[]>(async (articleIds) => {
    const rows = await query(
      db,
      `SELECT r.article_id AS owner_id, ${cardColumns('a')}
         FROM article_related r JOIN article a ON a.id = r.related_id ${cardJoins('a')}
        WHERE r.article_id IN (:...articleIds) AND a.status = 'PUBLISHED'
        ORDER BY r.article_id, r.position`,
      { articleIds },
    );
    return listEach(articleIds, rows.map((r) => [Number(r.owner_id), readCard(r, 'a', cards)]));
  });
}
