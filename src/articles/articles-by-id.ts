import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db/sql';
import { CardLoaders, cardColumns, cardJoins, readCard } from './article-cards';
import { loader, oneEach } from '../graphql/batch';

const BY_ID = `SELECT ${cardColumns('a', true)} FROM article a ${cardJoins('a')} WHERE a.id IN (:...ids) AND a.status = 'PUBLISHED'`;

export function articlesById(db: DataSource, cards: CardLoaders) {
  return loader<number, Article | null>(async (ids) => {
    const rows = await query(db, BY_ID, { ids });
    return oneEach(ids, rows.map((r) => readCard(r, 'a', cards, true)), (a) => a.rowId);
  });
}
