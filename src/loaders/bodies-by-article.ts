import type { DataSource } from 'typeorm';
import { query } from '../db';
import { parseBody } from '../rows';
import { loader } from './batch';

/** Article bodies, for lists that ask for them: list queries leave the large column out. */
export function bodiesByArticle(db: DataSource) {
  return loader<number, string[] | null>(async (ids) => {
    const rows = await query(db, 'SELECT id, body FROM article WHERE id IN (:...ids)', { ids });
    const bodies = new Map(rows.map((r) => [Number(r.id), parseBody(r.body)]));
    return ids.map((id) => bodies.get(id) ?? null);
  });
}
