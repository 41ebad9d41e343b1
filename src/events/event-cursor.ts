import { userInputError } from '../graphql/errors';
import { MAX_INTEGER } from '../graphql/pagination';

// Opaque like every other cursor, so that clients store it rather than compute with it.
export function encodeEventCursor(sequence: number): string {
  return Buffer.from(`event:${sequence}`, 'utf8').toString('base64url');
}

/** The sequence number a cursor stands for; "0" is accepted too, meaning "from the beginning of the log". */
export function decodeEventCursor(cursor: string, argName = 'after'): number {
  if (cursor === '0') return 0;
  const decoded = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^event:(0|[1-9][0-9]{0,15})$/.exec(decoded);
  if (!match || Number(match[1]) > MAX_INTEGER) {
    throw userInputError(`${argName} "${cursor.slice(0, 80)}" is not an event cursor.`, argName);
  }
  return Number(match[1]);
}
