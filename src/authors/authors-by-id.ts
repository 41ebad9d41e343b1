import type { DataSource } from 'typeorm';
import type { Author } from '../../entities/author.entity';
import { query } from '../db/sql';
import { authorRows } from './author-rows';
import { loader, oneEach } from '../graphql/batch';

export function authorsById(db: DataSource) {
  return loader<number, Author | null>(async (ids) => {
    const rows = await query(db, `SELECT ${authorRows.select('au')} FROM author au WHERE au.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => authorRows.read(r)), (a) => a.rowId);
  });
}
