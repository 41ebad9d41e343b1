import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import { query } from '../db';
import { toLicense } from '../rows';
import { loader, oneEach } from './batch';

export function licensesByKey(db: DataSource) {
  return loader<string, License | null>(async (keys) => {
    const rows = await query(db, 'SELECT * FROM license WHERE key IN (:...keys)', { keys });
    return oneEach(keys, rows.map((r) => toLicense(r)), (l) => l.key);
  });
}
