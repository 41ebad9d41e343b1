import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db';
import { userInputError } from '../errors';
import { decodeCursor, pageSize } from '../pagination';
import type { Loaders } from '../loaders';
import { cardColumns, cardJoins, readCard } from '../loaders/article-cards';
import { Page, toPage } from './connection';

const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 12;

/**
 * Reader input never reaches FTS5's query language: it is cut into words, each quoted as a literal
 * term, and all of them must match.
 */
export function toMatchExpression(text: string): string {
  if (text.length > MAX_QUERY_LENGTH) {
    throw userInputError(`query must be at most ${MAX_QUERY_LENGTH} characters.`, 'query');
  }
  const terms = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) throw userInputError('query must contain at least one word.', 'query');
  return terms
    .slice(0, MAX_TERMS)
    .map((t) => `"${t}"`)
    .join(' ');
}

/** Ranked full-text search (BM25, title weighted over summary over body), keyset-paginated on (rank, id). */
export class ArticleSearchService {
  constructor(
    private readonly db: DataSource,
    private readonly loaders: Loaders,
  ) {}

  async search(input: { query: string; first?: number | null; after?: string | null }): Promise<Page<Article>> {
    const first = pageSize(input.first);
    const after = decodeCursor(input.after, 's');
    const match = toMatchExpression(input.query);
    const matches = `SELECT rowid AS id, bm25(article_fts, 10.0, 4.0, 1.0) AS score FROM article_fts WHERE article_fts MATCH :match`;
    const rows = await query(
      this.db,
      `SELECT m.score AS score, ${cardColumns('a')}
         FROM (${matches}) m JOIN article a ON a.id = m.id ${cardJoins('a')}
        WHERE a.status = 'PUBLISHED' ${after ? 'AND (m.score, a.id) > (:afterScore, :afterId)' : ''}
        ORDER BY m.score, a.id
        LIMIT :limit`,
      { match, afterScore: after?.value, afterId: after?.rowId, limit: first + 1 },
    );
    const scores = new Map(rows.map((r) => [Number(r.id), Number(r.score)]));
    return toPage(
      rows.map((r) => readCard(r, 'a', this.loaders)),
      first,
      after,
      (a) => ({ kind: 's', value: scores.get(a.rowId) as number, rowId: a.rowId }),
      async () => {
        const [{ n }] = await query<{ n: number }>(
          this.db,
          `SELECT COUNT(*) AS n FROM (${matches}) m JOIN article a ON a.id = m.id WHERE a.status = 'PUBLISHED'`,
          { match },
        );
        return Number(n);
      },
    );
  }
}
