import { createHmac, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { execute, query, writeTransaction } from '../db/sql';
import { userInputError } from '../graphql/errors';

const SETTING_KEY = 'reader_id_secret';

/**
 * The secret readers' ids are hashed with: from READER_ID_SECRET when set, else generated once per
 * installation and kept in the database, so a reader counts once across restarts and instances.
 */
export async function loadReaderSecret(db: DataSource, configured?: string): Promise<string> {
  if (configured) return configured;
  await writeTransaction(db, (tx) =>
    execute(tx, 'INSERT INTO app_setting (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING', {
      key: SETTING_KEY,
      value: randomBytes(32).toString('hex'),
    }),
  );
  const [row] = await query<{ value: string }>(db, 'SELECT value FROM app_setting WHERE key = :key', { key: SETTING_KEY });
  return row.value;
}

export function hashReaderId(secret: string, readerId: string | undefined): string {
  if (readerId == null || readerId.trim() === '') {
    throw userInputError('Send an x-reader-id header identifying the reader (any opaque string up to 200 characters).', 'x-reader-id');
  }
  if (readerId.length > 200) throw userInputError('x-reader-id must be at most 200 characters.', 'x-reader-id');
  return createHmac('sha256', secret).update(readerId.trim()).digest('hex');
}
