import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { Publication } from '../../entities/publication.entity';
import { query } from '../db/sql';
import { publicationRows } from './catalog-rows';
import { KeptLoader, oneEach } from '../graphql/batch';

export function publicationsById(db: DataSource, tags: CacheTags) {
  return new KeptLoader<number, Publication | null>(async (ids) => {
    const rows = await query(db, `SELECT ${publicationRows.select('p')} FROM publication p WHERE p.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => {
      const row = publicationRows.read(r);
      tags.add('publication', row.rowId);
      return row;
    }), (p) => p.rowId);
  });
}
