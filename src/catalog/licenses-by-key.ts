import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import { query } from '../db/sql';
import { licenseRows } from './catalog-rows';
import { loader, oneEach } from '../graphql/batch';

export function licensesByKey(db: DataSource) {
  return loader<string, License | null>(async (keys) => {
    const rows = await query(db, `SELECT ${licenseRows.select('l')} FROM license l WHERE l.key IN (:...keys)`, { keys });
    return oneEach(keys, rows.map((r) => licenseRows.read(r)), (l) => l.key);
  });
}
