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
 * Reader input never reaches a query language: it is cut into words, all of which must match.
 * FTS5 gets each quoted as a literal term; PostgreSQL gets them through plainto_tsquery.
 */
function searchTerms(text: string): string[] {
  if (text.length > MAX_QUERY_LENGTH) {
    throw userInputError(`query must be at most ${MAX_QUERY_LENGTH} characters.`, 'query');
  }
  const terms = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) throw userInputError('query must contain at least one word.', 'query');
  return terms.slice(0, MAX_TERMS);
}

function toMatchExpression(terms: string[]): string {
  return terms.map((t) => `"${t}"`).join(' ');
}

/** The matching articles, newest first, with a score that sorts best first (ascending). */
function candidatesSql(dialect: string): { candidates: string; count: string } {
  if (dialect === 'postgres') {
    // ts_rank's weights are listed D, C, B, A; normalisation 1 divides by the log of the length,
    // as BM25 discounts long documents.
    const matches = "FROM article, plainto_tsquery('gateway_search', :match) q WHERE search_vector @@ q";
    return {
      candidates: `SELECT id, -ts_rank('{0.1, 0, 0.4, 1.0}', search_vector, q, 1)::float8 AS score ${matches} ORDER BY id DESC LIMIT :candidates`,
      count: `SELECT COUNT(*) AS n FROM (SELECT id ${matches} LIMIT :candidates) m`,
    };
  }
  const matches = 'FROM article_fts WHERE article_fts MATCH :match';
  return {
    candidates: `SELECT rowid AS id, bm25(article_fts, 10.0, 4.0, 1.0) AS score ${matches} ORDER BY rowid DESC LIMIT :candidates`,
    count: `SELECT COUNT(*) AS n FROM (SELECT rowid ${matches} LIMIT :candidates)`,
  };
}

/**
 * How many of the newest matching articles are ranked. FTS5 has no early exit for ranking, so
 * ranking every match of a common word grows with the archive; ranking a bounded window of the
 * most recently added matches keeps the cost flat. Rare words (most real queries) match fewer
 * articles than this and are ranked in full.
 */
export const SEARCH_CANDIDATES = 5000;

/** Ranked full-text search (title weighted over summary over body), keyset-paginated on (rank, id). */
export class ArticleSearchService {
  constructor(
    private readonly db: DataSource,
    private readonly loaders: Loaders,
  ) {}

  async search(input: { query: string; first?: number | null; after?: string | null }): Promise<Page<Article>> {
    const first = pageSize(input.first);
    const after = decodeCursor(input.after, 's');
    const terms = searchTerms(input.query);
    const dialect = this.db.options.type;
    const match = dialect === 'postgres' ? terms.join(' ') : toMatchExpression(terms);
    const sql = candidatesSql(dialect);
    const rows = await query(
      this.db,
      `WITH candidates AS (${sql.candidates}), page AS (
         SELECT id, score FROM candidates ${after ? 'WHERE (score, id) > (:afterScore, :afterId)' : ''}
          ORDER BY score, id LIMIT :limit
       )
       SELECT page.score AS score, ${cardColumns('a')}
         FROM page JOIN article a ON a.id = page.id ${cardJoins('a')}
        WHERE a.status = 'PUBLISHED'
        ORDER BY page.score, a.id`,
      { match, candidates: SEARCH_CANDIDATES, afterScore: after?.value, afterId: after?.rowId, limit: first + 1 },
    );
    const scores = new Map(rows.map((r) => [Number(r.id), Number(r.score)]));
    return toPage(
      rows.map((r) => readCard(r, 'a', this.loaders)),
      first,
      after,
      (a) => ({ kind: 's', value: scores.get(a.rowId) as number, rowId: a.rowId }),
      async () => {
        const [{ n }] = await query<{ n: number }>(this.db, sql.count, { match, candidates: SEARCH_CANDIDATES });
        return Number(n);
      },
    );
  }
}
