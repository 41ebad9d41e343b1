import type { DataSource } from 'typeorm';
import type { Author } from '../../entities/author.entity';
import { query } from '../db';
import { toAuthor } from '../rows';
import { loader, oneEach } from './batch';

export function authorsBySlug(db: DataSource) {
  return loader<string, Author | null>(async (slugs) => {
    const rows = await query(db, 'SELECT * FROM author WHERE slug IN (:...slugs)', { slugs });
    return oneEach(slugs, rows.map(toAuthor), (a) => a.slug);
  });
}
