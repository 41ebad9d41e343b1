import type { DataSource } from 'typeorm';
import type { License } from '../../entities/license.entity';
import type { Publication } from '../../entities/publication.entity';
import { query } from '../db';
import { toLicense, toPublication } from '../rows';

/** The short reference lists (licenses, publications): small enough to return whole. */
export class CatalogService {
  constructor(private readonly db: DataSource) {}

  async licenses(): Promise<License[]> {
    return (await query(this.db, 'SELECT * FROM license ORDER BY key')).map((r) => toLicense(r));
  }

  async publications(): Promise<Publication[]> {
    return (await query(this.db, 'SELECT * FROM publication ORDER BY key')).map((r) => toPublication(r));
  }
}
