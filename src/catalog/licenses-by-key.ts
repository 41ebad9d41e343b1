import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import { query } from '../db/sql';
import { licenseRows } from './catalog-rows';
import { loader, oneEach } from '../graphql/batch';

export function licensesByKey(db: DataSource, tags: CacheTags) {
  return loader<string, License | null>(async (keys) => {
    const rows = await query(db, `SELECT ${licenseRows.select('l')} FROM license l WHERE l.key IN (:...keys)`, { keys });
    return oneEach(keys, rows.map((r) => {
      const row = licenseRows.read(r);
      tags.add('license', row.rowId);
      return row;
    }), (l) => l.key);
  });
}
