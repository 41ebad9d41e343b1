import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { Image } from '../../entities/image.entity';
import { query } from '../db/sql';
import { imageRows } from './catalog-rows';
import { KeptLoader, oneEach } from '../graphql/batch';

export function imagesById(db: DataSource, tags: CacheTags) {
  return new KeptLoader<number, Image | null>(async (ids) => {
    const rows = await query(db, `SELECT ${imageRows.select('i')} FROM image i WHERE i.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => {
      const row = imageRows.read(r);
      tags.add('image', row.rowId);
      return row;
    }), (i) => i.rowId);
  });
}
