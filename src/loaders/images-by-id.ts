import type { DataSource } from 'typeorm';
import type { Image } from '../../entities/image.entity';
import { query } from '../db';
import { toImage } from '../rows';
import { KeptLoader, oneEach } from './batch';

export function imagesById(db: DataSource) {
  return new KeptLoader<number, Image | null>(async (ids) => {
    const rows = await query(db, 'SELECT * FROM image WHERE id IN (:...ids)', { ids });
    return oneEach(ids, rows.map((r) => toImage(r)), (i) => i.rowId);
  });
}
