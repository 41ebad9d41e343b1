import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import type { Publication } from '../../entities/publication.entity';
import { query } from '../db/sql';
import { licenseRows, publicationRows } from './catalog-rows';
import type { CacheTags } from '../cache/cache-tags';

/** The short reference lists (licenses, publications): small enough to return whole. */
export class CatalogService {
  constructor(
    private readonly db: DataSource,
    private readonly tags: CacheTags,
  ) {}

  async licenses(): Promise<License[]> {
    this.tags.addList('licenses');
    return (await query(this.db, `SELECT ${licenseRows.select('l')} FROM license l ORDER BY l.key`)).map((r) => licenseRows.read(r));
  }

  async publications(): Promise<Publication[]> {
    this.tags.addList('publications');
    return (await query(this.db, `SELECT ${publicationRows.select('p')} FROM publication p ORDER BY p.key`)).map((r) => publicationRows.read(r));
  }
}
