import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import { query } from '../db/sql';
import { licenseRows } from './catalog-rows';
import { KeptLoader, oneEach } from '../graphql/batch';

export function licensesById(db: DataSource, tags: CacheTags) {
  return new KeptLoader<number, License | null>(async (ids) => {
    const rows = await query(db, `SELECT ${licenseRows.select('l')} FROM license l WHERE l.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => {
      const row = licenseRows.read(r);
      tags.add('license', row.rowId);
      return row;
    }), (l) => l.rowId);
  });
}
