import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { query, toSqlTime } from '../db/sql';
import { userInputError } from '../graphql/errors';
import { canonicalLanguage } from '../translations/language';
import { decodeCursor, pageSize, publishedPosition } from '../graphql/pagination';
import type { Loaders } from '../graphql/loaders';
import { cardColumns, cardJoins, readCard } from './article-cards';
import { Page, toPage } from '../graphql/connection';

export interface ArticleFilterInput {
  section?: string | null;
  language?: string | null;
  authorSlug?: string | null;
  licenseKey?: string | null;
  publicationKey?: string | null;
  kind?: string | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

export type ArticleOrderInput = 'PUBLISHED_AT_DESC' | 'PUBLISHED_AT_ASC';

export interface ArticleListInput {
  first?: number | null;
  after?: string | null;
  filter?: ArticleFilterInput | null;
  orderBy?: ArticleOrderInput | null;
}

function feedStatement(where: string, direction: string): string {
  return `SELECT ${cardColumns('a')} FROM article a ${cardJoins('a')} WHERE ${where} ORDER BY a.published_at ${direction}, a.id ${direction} LIMIT :limit`;
}

const CURSOR_KIND: Record<ArticleOrderInput, string> = { PUBLISHED_AT_DESC: 'pd', PUBLISHED_AT_ASC: 'pa' };

/** Published articles as a keyset-paginated feed: no OFFSET, so a page costs the same at any depth. */
export class ArticleFeedService {
  constructor(
    private readonly db: DataSource,
    private readonly loaders: Loaders,
  ) {}

  async list(input: ArticleListInput): Promise<Page<Article>> {
    const first = pageSize(input.first);
    const order = input.orderBy ?? 'PUBLISHED_AT_DESC';
    const after = decodeCursor(input.after, CURSOR_KIND[order], 'time');
    const { where, params } = this.filterSql(input.filter ?? {});
    const descending = order === 'PUBLISHED_AT_DESC';
    const keyset = after ? [`(a.published_at, a.id) ${descending ? '<' : '>'} (:afterTime, :afterId)`] : [];
    const direction = descending ? 'DESC' : 'ASC';
    const rows = await query(this.db, feedStatement([...where, ...keyset].join(' AND '), direction), {
      ...params,
      afterTime: after?.value,
      afterId: after?.rowId,
      limit: first + 1,
    });
    this.loaders.tags.addList('articles');
    return toPage(
      rows.map((r) => readCard(r, 'a', this.loaders)),
      first,
      after,
      (a) => publishedPosition(a, CURSOR_KIND[order]),
      async () => {
        const [{ n }] = await query<{ n: number }>(this.db, `SELECT COUNT(*) AS n FROM article a WHERE ${where.join(' AND ')}`, params);
        return Number(n);
      },
    );
  }

  private filterSql(filter: ArticleFilterInput): { where: string[]; params: Record<string, unknown> } {
    const where = ["a.status = 'PUBLISHED'"];
    const params: Record<string, unknown> = {};
    if (filter.section != null) {
      where.push('a.section = :section');
      params.section = filter.section;
    }
    if (filter.language != null) {
      where.push('a.language = :language');
      params.language = canonicalLanguage(filter.language, 'filter.language');
    }
    if (filter.kind != null) {
      where.push('a.kind = :kind');
      params.kind = filter.kind;
    }
    if (filter.publicationKey != null) {
      where.push('a.publication_id = (SELECT p.id FROM publication p WHERE p.key = :publicationKey)');
      params.publicationKey = filter.publicationKey;
    }
    if (filter.licenseKey != null) {
      where.push('a.license_id = (SELECT l.id FROM license l WHERE l.key = :licenseKey)');
      params.licenseKey = filter.licenseKey;
    }
    if (filter.authorSlug != null) {
      where.push(
        'a.id IN (SELECT aa.article_id FROM article_author aa JOIN author au ON au.id = aa.author_id WHERE au.slug = :authorSlug)',
      );
      params.authorSlug = filter.authorSlug;
    }
    if (filter.publishedAfter != null) {
      where.push('a.published_at >= :publishedAfter');
      params.publishedAfter = toSqlTime(filter.publishedAfter);
    }
    if (filter.publishedBefore != null) {
      where.push('a.published_at < :publishedBefore');
      params.publishedBefore = toSqlTime(filter.publishedBefore);
    }
    if (filter.publishedAfter && filter.publishedBefore && filter.publishedAfter >= filter.publishedBefore) {
      throw userInputError('filter.publishedAfter must be earlier than filter.publishedBefore.', 'filter.publishedAfter');
    }
    return { where, params };
  }
}
