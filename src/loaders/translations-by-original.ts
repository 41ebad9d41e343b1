import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { CardLoaders, cardColumns, cardJoins, readCard } from './article-cards';
import { listEach, loader } from './batch';

const VERSIONS = `SELECT ${cardColumns('a')} FROM article a ${cardJoins('a')}
  WHERE (a.translation_of_id IN (:...originalIds) OR a.id IN (:...originalIds)) AND a.status = 'PUBLISHED'
  ORDER BY a.language, a.id`;

/** Every published language version of an original (the original included), keyed by the original's id. */
export function versionsByOriginal(db: DataSource, cards: CardLoaders) {
  return loader<number, Article[]>(async (originalIds) => {
    const rows = await query(db, VERSIONS, { originalIds });
    return listEach(
      originalIds,
      rows.map((r) => {
        const a = readCard(r, 'a', cards);
        return [a.translationOfId ?? a.rowId, a];
      }),
    );
  });
}
