import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import type { Author } from '../../entities/author.entity';
import { query } from '../db/sql';
import type { Loaders } from '../graphql/loaders';
import { decodeCursor, pageSize, publishedPosition } from '../graphql/pagination';
import { authorRows, tagged } from './author-rows';
import { Page, toPage } from '../graphql/connection';

export class AuthorService {
  constructor(
    private readonly db: DataSource,
    private readonly loaders: Loaders,
  ) {}

  /** Authors in slug order, keyset-paginated. */
  async list(input: { first?: number | null; after?: string | null }): Promise<Page<Author>> {
    const first = pageSize(input.first);
    const after = decodeCursor(input.after, 'au', 'text');
    const rows = await query(
      this.db,
      `SELECT ${authorRows.select('au')} FROM author au ${after ? 'WHERE au.slug > :afterSlug' : ''} ORDER BY au.slug LIMIT :limit`,
      { afterSlug: after?.value, limit: first + 1 },
    );
    this.loaders.tags.addList('authors');
    return toPage(
      rows.map((r) => tagged(this.loaders.tags, authorRows.read(r))),
      first,
      after,
      (a) => ({ kind: 'au', value: a.slug, rowId: a.rowId }),
      async () => Number((await query<{ n: number }>(this.db, 'SELECT COUNT(*) AS n FROM author'))[0].n),
    );
  }

  /** One author's published articles, newest first; batched across all authors on the page. */
  async articles(author: Author, input: { first?: number | null; after?: string | null }): Promise<Page<Article>> {
    const first = pageSize(input.first);
    const after = decodeCursor(input.after, 'pd', 'time');
    const rows = await this.loaders.articlesByAuthor.load({ authorId: author.rowId, first, after });
    return toPage(
      rows,
      first,
      after,
      (a) => publishedPosition(a, 'pd'),
      () => this.loaders.articleCountByAuthor.load(author.rowId),
    );
  }
}
