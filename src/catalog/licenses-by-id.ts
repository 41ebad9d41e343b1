import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import { query } from '../db/sql';
import { licenseRows } from './catalog-rows';
import { KeptLoader, oneEach } from '../graphql/batch';

export function licensesById(db: DataSource) {
  return new KeptLoader<number, License | null>(async (ids) => {
    const rows = await query(db, `SELECT ${licenseRows.select('l')} FROM license l WHERE l.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => licenseRows.read(r)), (l) => l.rowId);
  });
}
