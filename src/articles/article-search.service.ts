import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query } from '../db/sql';
import { userInputError } from '../graphql/errors';
import { decodeCursor, pageSize } from '../graphql/pagination';
import type { Loaders } from '../graphql/loaders';
import { cardColumns, cardJoins, readCard } from './article-cards';
import { Page, toPage } from '../graphql/connection';

const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 12;

/**
 * Reader input never reaches a query language: it is cut into words, all of which must match, each
 * quoted as a literal FTS5 term or written as a plain tsquery lexeme (letters and digits only).
 */
function searchTerms(text: string): string[] {
  if (text.length > MAX_QUERY_LENGTH) {
    throw userInputError(`query must be at most ${MAX_QUERY_LENGTH} characters.`, 'query');
  }
  const terms = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) throw userInputError('query must contain at least one word.', 'query');
  return terms.slice(0, MAX_TERMS);
}

interface SearchSql {
  /** The newest matching articles, each with its score: lower is better. */
  candidates: string;
  count: string;
  params: Record<string, string>;
}

/**
 * The rank is the same on both engines, so that an installation moved to PostgreSQL shows readers
 * the same results in the same order: every word in the title scores 2, every word in the summary
 * 1, matches elsewhere 0; equal scores go newest first. (BM25 and ts_rank weigh term frequencies
 * differently and never agree on an order.)
 */
function searchSql(dialect: string, terms: string[]): SearchSql {
  // The window is chosen first and scored after, so that a common word costs the window, not
  // every article that contains it.
  if (dialect === 'postgres') {
    const all = terms.join(' & ');
    const inWeight = (weight: string) => terms.map((t) => `${t}:${weight}`).join(' & ');
    const matches = "FROM article, to_tsquery('gateway_search', :all) q WHERE search_vector @@ q";
    return {
      candidates: `SELECT a.id, -(2 * (a.search_vector @@ to_tsquery('gateway_search', :inTitle))::int
                                 + (a.search_vector @@ to_tsquery('gateway_search', :inSummary))::int) AS score
                     FROM (SELECT id ${matches} ORDER BY id DESC LIMIT :candidates) w JOIN article a ON a.id = w.id`,
      count: `SELECT COUNT(*) AS n FROM (SELECT id ${matches} LIMIT :candidates) m`,
      params: { all, inTitle: inWeight('A'), inSummary: inWeight('B') },
    };
  }
  const all = terms.map((t) => `"${t}"`).join(' ');
  // FTS5 seeks to a rowid bound: the column checks read only the window's part of each doclist.
  const hits = (param: string) =>
    `(id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :${param} AND rowid >= (SELECT MIN(id) FROM recent)))`;
  return {
    candidates: `WITH recent AS (SELECT rowid AS id FROM article_fts WHERE article_fts MATCH :all ORDER BY rowid DESC LIMIT :candidates)
                 SELECT id, -(2 * ${hits('inTitle')} + ${hits('inSummary')}) AS score FROM recent`,
    count: 'SELECT COUNT(*) AS n FROM (SELECT rowid FROM article_fts WHERE article_fts MATCH :all LIMIT :candidates)',
    params: { all, inTitle: `title : (${all})`, inSummary: `summary : (${all})` },
  };
}

/**
 * How many of the newest matching articles are ranked. FTS5 has no early exit for ranking, so
 * ranking every match of a common word grows with the archive; ranking a bounded window of the
 * most recently added matches keeps the cost flat. Rare words (most real queries) match fewer
 * articles than this and are ranked in full.
 */
export const SEARCH_CANDIDATES = 5000;

/** Ranked full-text search (title over summary over body, then newest), keyset-paginated on (rank, id). */
export class ArticleSearchService {
  constructor(
    private readonly db: DataSource,
    private readonly loaders: Loaders,
  ) {}

  async search(input: { query: string; first?: number | null; after?: string | null }): Promise<Page<Article>> {
    const first = pageSize(input.first);
    const after = decodeCursor(input.after, 's', 'integer');
    const sql = searchSql(this.db.options.type, searchTerms(input.query));
    const rows = await query(
      this.db,
      `WITH candidates AS (${sql.candidates}), page AS (
         SELECT id, score FROM candidates ${after ? 'WHERE score > :afterScore OR (score = :afterScore AND id < :afterId)' : ''}
          ORDER BY score, id DESC LIMIT :limit
       )
       SELECT page.score AS score, ${cardColumns('a')}
         FROM page JOIN article a ON a.id = page.id ${cardJoins('a')}
        WHERE a.status = 'PUBLISHED'
        ORDER BY page.score, a.id DESC`,
      { ...sql.params, candidates: SEARCH_CANDIDATES, afterScore: after?.value, afterId: after?.rowId, limit: first + 1 },
    );
    const scores = new Map(rows.map((r) => [Number(r.id), Number(r.score)]));
    this.loaders.tags.addList('articles');
    return toPage(
      rows.map((r) => readCard(r, 'a', this.loaders)),
      first,
      after,
      (a) => ({ kind: 's', value: scores.get(a.rowId) as number, rowId: a.rowId }),
      async () => {
        const [{ n }] = await query<{ n: number }>(this.db, sql.count, { all: sql.params.all, candidates: SEARCH_CANDIDATES });
        return Number(n);
      },
    );
  }
}
