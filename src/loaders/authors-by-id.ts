import type { DataSource } from 'typeorm';
import type { Author } from '../../entities/author.entity';
import { query } from '../db';
import { toAuthor } from '../rows';
import { loader, oneEach } from './batch';

export function authorsById(db: DataSource) {
  return loader<number, Author | null>(async (ids) => {
    const rows = await query(db, 'SELECT * FROM author WHERE id IN (:...ids)', { ids });
    return oneEach(ids, rows.map(toAuthor), (a) => a.rowId);
  });
}
