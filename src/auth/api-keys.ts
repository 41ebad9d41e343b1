import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKeyRole } from '../../entities/enums';
import { fromSqlTime, insertOne, query, toSqlTime, writeTransaction } from '../db/sql';
import type { Caller } from './caller';

const KEY_PREFIX = 'cgk_';
const KEY_SHAPE = /^cgk_[A-Za-z0-9_-]{43}$/;

export interface ApiKeyRecord {
  id: number;
  name: string;
  role: ApiKeyRole;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** 256 random bits; the prefix lets secret scanners and people recognise a gateway key. */
export function generateKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What an `Authorization: Bearer KEY` header says before any lookup: the caller, or the key to look up. */
export function readAuthorization(authorization: unknown): Caller | { lookUp: string } {
  if (authorization === undefined || authorization === null || authorization === '') return { kind: 'anonymous' };
  const match = typeof authorization === 'string' ? /^Bearer +(\S+) *$/i.exec(authorization) : null;
  if (!match) return { kind: 'invalid', reason: 'malformed' };
  if (!KEY_SHAPE.test(match[1])) return { kind: 'invalid', reason: 'unknown' };
  return { lookUp: match[1] };
}

/** The caller holding `key`, which has the shape of a gateway key. */
export async function lookUpKey(db: DataSource, key: string): Promise<Caller> {
  const [row] = await query(db, 'SELECT id, name, role, revoked_at FROM api_key WHERE key_hash = :hash', { hash: hashKey(key) });
  if (!row) return { kind: 'invalid', reason: 'unknown' };
  if (row.revoked_at != null) return { kind: 'invalid', reason: 'revoked' };
  return { kind: 'key', keyId: Number(row.id), name: row.name as string, role: row.role as ApiKeyRole };
}

/** Who sent a request, from its `Authorization: Bearer KEY` header (or a WebSocket's connection_init). */
export async function authenticate(db: DataSource, authorization: unknown): Promise<Caller> {
  const read = readAuthorization(authorization);
  return 'lookUp' in read ? lookUpKey(db, read.lookUp) : read;
}

/** What `npm run apikey` does. */
export class ApiKeyService {
  constructor(private readonly db: DataSource) {}

  async create(name: string, role: ApiKeyRole): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = generateKey();
    const id = await writeTransaction(this.db, (tx) =>
      insertOne(
        tx,
        'INSERT INTO api_key (name, role, key_hash, key_prefix, created_at) VALUES (:name, :role, :hash, :prefix, :now)',
        { name, role, hash: hashKey(key), prefix: key.slice(0, 10), now: toSqlTime(new Date()) },
      ),
    );
    const record = (await this.list()).find((r) => r.id === id)!;
    return { key, record };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await query(this.db, 'SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_key ORDER BY id');
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name as string,
      role: r.role as ApiKeyRole,
      keyPrefix: r.key_prefix as string,
      createdAt: fromSqlTime(r.created_at) as Date,
      revokedAt: fromSqlTime(r.revoked_at),
    }));
  }

  /** Returns false when no key has that id. Revoking twice keeps the first revocation time. */
  async revoke(id: number): Promise<boolean> {
    return writeTransaction(this.db, async (tx) => {
      const [row] = await query(tx, 'SELECT id FROM api_key WHERE id = :id', { id });
      if (!row) return false;
      await query(tx, 'UPDATE api_key SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL', { id, now: toSqlTime(new Date()) });
      return true;
    });
  }
}
