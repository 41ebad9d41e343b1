import type { DataSource } from 'typeorm';
import type { Publication } from '../../entities/publication.entity';
import { query } from '../db';
import { toPublication } from '../rows';
import { KeptLoader, oneEach } from './batch';

export function publicationsById(db: DataSource) {
  return new KeptLoader<number, Publication | null>(async (ids) => {
    const rows = await query(db, 'SELECT * FROM publication WHERE id IN (:...ids)', { ids });
    return oneEach(ids, rows.map((r) => toPublication(r)), (p) => p.rowId);
  });
}
