import type { DataSource, EntityManager } from 'typeorm';
import { ContentEvent } from '../../entities/event.entity';
import { cacheKeysOf } from './event-cache-keys';
import { EventType } from '../../entities/enums';
import { Row, execute, fromSqlTime, insertOne, query, toSqlTime } from '../db/sql';

export interface NewEvent {
  type: EventType;
  articleId: number;
  originalId?: number | null;
  requestId?: number | null;
  language: string;
  section?: string | null;
}

/** Any fixed number: the transaction-scoped advisory lock that orders event commits on PostgreSQL. */
const EVENT_LOG_LOCK = 7_264_001;

/**
 * Records an event inside the caller's transaction, so that it exists exactly when the change does.
 * Readers rely on "having seen event n, I have seen every event before it". SQLite serialises
 * writers, so that holds there; on PostgreSQL two transactions could take ids 5 and 6 and commit
 * 6 first, so each takes a lock held until it commits before it takes its id.
 */
export async function appendEvent(tx: EntityManager, event: NewEvent): Promise<number> {
  await lockEventLog(tx);
  return insertOne(
    tx,
    `INSERT INTO event (type, article_id, original_id, request_id, language, section, cache_keys, created_at)
     VALUES (:type, :articleId, :originalId, :requestId, :language, :section, :cacheKeys, :now)`,
    {
      cacheKeys: cacheKeysOf({ type: event.type, articleId: event.articleId, originalId: event.originalId ?? null }),
      type: event.type,
      articleId: event.articleId,
      originalId: event.originalId ?? null,
      requestId: event.requestId ?? null,
      language: event.language,
      section: event.section ?? null,
      now: toSqlTime(new Date()),
    },
  );
}

async function lockEventLog(tx: EntityManager): Promise<void> {
  if (tx.connection.options.type === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [EVENT_LOG_LOCK]);
}

/**
 * An ARTICLE_UPDATED event for each published article that `shows` (a condition on `article a`)
 * selects, in id order, in one statement however many there are: what an edit of an author or an
 * image they show changes. Returns how many were appended.
 */
export async function appendArticleUpdates(tx: EntityManager, shows: string, params: Record<string, unknown>, changed: string): Promise<number> {
  await lockEventLog(tx);
  return execute(
    tx,
    `INSERT INTO event (type, article_id, original_id, request_id, language, section, cache_keys, created_at)
     SELECT :type, a.id, a.translation_of_id, NULL, a.language, a.section, 'article:' || a.id || :changed, :now FROM article a
      WHERE a.status = 'PUBLISHED' AND ${shows} ORDER BY a.id`,
    { ...params, type: EventType.ARTICLE_UPDATED, changed: ` sitemaps ${changed}`, now: toSqlTime(new Date()) },
  );
}

export async function readEventsAfter(
  db: DataSource | EntityManager,
  after: number,
  limit: number,
  options: { upTo?: number; types?: EventType[] } = {},
): Promise<ContentEvent[]> {
  const rows = await query(
    db,
    `SELECT * FROM event WHERE id > :after
       ${options.upTo === undefined ? '' : 'AND id <= :upTo'}
       ${options.types ? 'AND type IN (:...types)' : ''}
      ORDER BY id LIMIT :limit`,
    { after, limit, upTo: options.upTo, types: options.types },
  );
  return rows.map(toEvent);
}

export async function lastSequence(db: DataSource | EntityManager): Promise<number> {
  const [row] = await query<{ last: number | null }>(db, 'SELECT MAX(id) AS last FROM event');
  return Number(row?.last ?? 0);
}

function toEvent(row: Row): ContentEvent {
  const e = new ContentEvent();
  e.rowId = Number(row.id);
  e.type = row.type as EventType;
  e.articleId = Number(row.article_id);
  e.originalId = row.original_id == null ? null : Number(row.original_id);
  e.requestId = row.request_id == null ? null : Number(row.request_id);
  e.language = row.language as string;
  e.section = (row.section as string | null) ?? null;
  e.occurredAt = fromSqlTime(row.created_at) as Date;
  e.cacheKeyText = (row.cache_keys as string | null) ?? null;
  return e;
}
