import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { CardLoaders, cardColumns, cardJoins, readCard } from './article-cards';
import { loader, oneEach } from './batch';

export function articlesById(db: DataSource, cards: CardLoaders) {
  return loader<number, Article | null>(async (ids) => {
    const rows = await query(
      db,
      `SELECT ${cardColumns('a', true)} FROM article a ${cardJoins('a')} WHERE a.id IN (:...ids) AND a.status = 'PUBLISHED'`,
      { ids },
    );
    return oneEach(ids, rows.map((r) => readCard(r, 'a', cards)), (a) => a.rowId);
  });
}
