import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db/sql';
import { CardLoaders, cardColumns, cardJoins, readCard } from './article-cards';
import { loader, oneEach } from '../graphql/batch';

const BY_SLUG = `SELECT ${cardColumns('a', true)} FROM article a ${cardJoins('a')} WHERE a.slug IN (:...slugs) AND a.status = 'PUBLISHED'`;

export function articlesBySlug(db: DataSource, cards: CardLoaders) {
  return loader<string, Article | null>(async (slugs) => {
    const rows = await query(db, BY_SLUG, { slugs });
    return oneEach(slugs, rows.map((r) => readCard(r, 'a', cards, true)), (a) => a.slug);
  });
}
