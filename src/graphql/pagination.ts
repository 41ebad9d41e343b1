import { fromSqlTime, toSqlTime } from '../db/sql';
import { userInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` outside 1..100 is refused, never silently capped: a client must know it got less than it asked. */
export function pageSize(first: number | null | undefined, argName = 'first'): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw userInputError(`${argName} must be between 1 and ${MAX_PAGE_SIZE}; it was ${first}.`, argName);
  }
  return first;
}

/** A position in a keyset: the sort value and the row id that breaks ties. */
export interface Position {
  kind: string;
  value: string | number;
  rowId: number;
}

/** Where a published article stands in a list ordered by publication time (ties broken by id). */
export function publishedPosition(article: { publishedAt: Date | null; rowId: number }, kind: string): Position {
  return { kind, value: toSqlTime(article.publishedAt as Date), rowId: article.rowId };
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.kind, position.value, position.rowId]), 'utf8').toString('base64url');
}

/** What a cursor's sort value must be: a time as toSqlTime writes it, any text, or an integer. */
export type CursorValue = 'time' | 'text' | 'integer';

/** Ids and integer sort values are 32-bit integers on PostgreSQL: a larger one is no position of any list. */
export const MAX_INTEGER = 2 ** 31 - 1;

function isInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_INTEGER;
}

const SQL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

function isSqlTime(value: unknown): boolean {
  if (typeof value !== 'string' || !SQL_TIME.test(value)) return false;
  const time = fromSqlTime(value) as Date;
  // PostgreSQL has no year 0.
  return !Number.isNaN(time.getTime()) && time.getUTCFullYear() >= 1 && toSqlTime(time) === value;
}

const fitsValue: Record<CursorValue, (value: unknown) => boolean> = {
  time: isSqlTime,
  text: (value) => typeof value === 'string',
  integer: isInteger,
};

/**
 * The position a cursor of this list stands for. Anything else, including a cursor whose values
 * this list never writes (a number past the largest double decodes to Infinity), is BAD_USER_INPUT:
 * it never reaches SQL.
 */
export function decodeCursor(cursor: string | null | undefined, kind: string, value: CursorValue, argName = 'after'): Position | null {
  if (cursor == null) return null;
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== kind || !fitsValue[value](parsed[1]) || !isInteger(parsed[2])) {
    throw userInputError(`${argName} is not a cursor from this list; pass an endCursor this list returned.`, argName);
  }
  return { kind, value: parsed[1], rowId: parsed[2] };
}
