import { userInputError } from './errors';

export type NodeTypeName = 'Article' | 'Author' | 'License' | 'Image' | 'Publication' | 'TranslationRequest' | 'Webhook' | 'WebhookDelivery';

const NODE_TYPES: ReadonlySet<string> = new Set<NodeTypeName>([
  'Article',
  'Author',
  'License',
  'Image',
  'Publication',
  'TranslationRequest',
  'Webhook',
  'WebhookDelivery',
]);

export function toGlobalId(type: NodeTypeName, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  type: NodeTypeName;
  rowId: number;
}

/** Ids are `integer` columns, 32 bits on PostgreSQL: a larger number names no row, and asking the database for it would fail. */
const MAX_ROW_ID = 2 ** 31 - 1;

// Opaque ids are base64url so that clients treat them as tokens, not numbers they can iterate.
export function fromGlobalId(id: string, argName = 'id'): DecodedId {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? Buffer.from(id, 'base64url').toString('utf8') : '';
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(decoded);
  if (!match || !NODE_TYPES.has(match[1])) {
    throw userInputError(`${argName} "${id.slice(0, 80)}" is not a valid id.`, argName);
  }
  const rowId = Number(match[2]);
  if (rowId > MAX_ROW_ID) throw userInputError(`${argName} "${id.slice(0, 80)}" is not a valid id.`, argName);
  return { type: match[1] as NodeTypeName, rowId };
}

export function expectGlobalId(id: string, type: NodeTypeName, argName: string): number {
  const decoded = fromGlobalId(id, argName);
  if (decoded.type !== type) {
    throw userInputError(`${argName} must be the id of a ${type}, but it is the id of a ${decoded.type}.`, argName);
  }
  return decoded.rowId;
}
