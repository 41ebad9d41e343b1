import type { CacheTags } from '../cache/cache-tags';
import { tagged } from './author-rows';
import type { DataSource } from 'typeorm';
import type { Author } from '../../entities/author.entity';
import { query } from '../db/sql';
import { authorRows } from './author-rows';
import { loader, oneEach } from '../graphql/batch';

export function authorsBySlug(db: DataSource, tags: CacheTags) {
  return loader<string, Author | null>(async (slugs) => {
    const rows = await query(db, `SELECT ${authorRows.select('au')} FROM author au WHERE au.slug IN (:...slugs)`, { slugs });
    return oneEach(slugs, rows.map((r) => tagged(tags, authorRows.read(r))), (a) => a.slug);
  });
}
