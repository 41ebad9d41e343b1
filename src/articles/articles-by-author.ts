import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db/sql';
import type { Position } from '../graphql/pagination';
import { CardLoaders, cardColumns, cardJoins, readCard } from './article-cards';
import { listEach, loader } from '../graphql/batch';

export interface AuthorPageKey {
  authorId: number;
  first: number;
  after: Position | null;
}

/**
 * One page of each author's published articles, newest first. Keys asking for the same page shape
 * share one windowed statement, however many authors are on the page.
 */
export function articlesByAuthor(db: DataSource, cards: CardLoaders) {
  return loader<AuthorPageKey, Article[], string>(
    async (keys) => {
      cards.tags.addList('articles');
      const shapes = new Map<string, AuthorPageKey[]>();
      for (const k of keys) {
        const shape = pageShape(k);
        shapes.set(shape, [...(shapes.get(shape) ?? []), k]);
      }
      const pages = new Map<string, Article[]>();
      for (const group of shapes.values()) {
        const { first, after } = group[0];
        const authorIds = group.map((k) => k.authorId);
        const rows = await query(
          db,
          `SELECT * FROM (
             SELECT aa.author_id AS owner_id, ${cardColumns('a')},
                    ROW_NUMBER() OVER (PARTITION BY aa.author_id ORDER BY a.published_at DESC, a.id DESC) AS rn
               FROM article_author aa JOIN article a ON a.id = aa.article_id ${cardJoins('a')}
              WHERE aa.author_id IN (:...authorIds) AND a.status = 'PUBLISHED'
                ${after ? 'AND (a.published_at, a.id) < (:afterTime, :afterId)' : ''}
           ) page WHERE page.rn <= :limit ORDER BY page.owner_id, page.rn`,
          { authorIds, limit: first + 1, afterTime: after?.value, afterId: after?.rowId },
        );
        const lists = listEach(authorIds, rows.map((r) => [Number(r.owner_id), readCard(r, 'a', cards)]));
        group.forEach((k, i) => pages.set(cacheKey(k), lists[i]));
      }
      return keys.map((k) => pages.get(cacheKey(k)) ?? []);
    },
    cacheKey,
  );
}

function cacheKey(k: AuthorPageKey): string {
  return `${k.authorId}|${pageShape(k)}`;
}

function pageShape(k: AuthorPageKey): string {
  return `${k.first}|${k.after ? `${k.after.value}|${k.after.rowId}` : ''}`;
}
