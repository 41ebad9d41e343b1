import type { DataSource } from 'typeorm';
import { ApiKeyService } from '../../src/auth/api-keys';
import { ApiKeyRole } from '../../entities/enums';

export interface Keys {
  editor: string;
  integrator: string;
  revokedEditor: string;
}

/** An editor key, an integrator key and a revoked editor key, made the way `npm run apikey` makes them. */
export async function createKeys(db: DataSource): Promise<Keys> {
  const keys = new ApiKeyService(db);
  const editor = await keys.create('test editor', ApiKeyRole.EDITOR);
  const integrator = await keys.create('test integrator', ApiKeyRole.INTEGRATOR);
  const revoked = await keys.create('former editor', ApiKeyRole.EDITOR);
  await keys.revoke(revoked.record.id);
  return { editor: editor.key, integrator: integrator.key, revokedEditor: revoked.key };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** Every row of every table (search index shadow tables aside), to show that a refused write changed nothing. */
export async function snapshot(db: DataSource): Promise<string> {
  const tables: Array<{ name: string }> = await db.query(
    db.options.type === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'article_fts%' ORDER BY name",
  );
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) dump[name] = await db.query(`SELECT * FROM "${name}" ORDER BY 1, 2`);
  return JSON.stringify(dump);
}

export function globalId(type: string, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`).toString('base64url');
}
