import type { CacheTags } from '../cache/cache-tags';
import { tagged } from './author-rows';
import type { DataSource } from 'typeorm';
import type { Author } from '../../entities/author.entity';
import { query } from '../db/sql';
import { authorRows } from './author-rows';
import { loader, oneEach } from '../graphql/batch';

export function authorsById(db: DataSource, tags: CacheTags) {
  return loader<number, Author | null>(async (ids) => {
    const rows = await query(db, `SELECT ${authorRows.select('au')} FROM author au WHERE au.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => tagged(tags, authorRows.read(r))), (a) => a.rowId);
  });
}
