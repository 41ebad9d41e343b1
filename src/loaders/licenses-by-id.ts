import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import { query } from '../db';
import { toLicense } from '../rows';
import { KeptLoader, oneEach } from './batch';

export function licensesById(db: DataSource) {
  return new KeptLoader<number, License | null>(async (ids) => {
    const rows = await query(db, 'SELECT * FROM license WHERE id IN (:...ids)', { ids });
    return oneEach(ids, rows.map((r) => toLicense(r)), (l) => l.rowId);
  });
}
