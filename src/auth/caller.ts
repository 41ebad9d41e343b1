import type { ApiKeyRole } from '../../entities/enums';

/** The identity behind one request or WebSocket connection. */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'key'; keyId: number; name: string; role: ApiKeyRole }
  | { kind: 'invalid'; reason: 'malformed' | 'unknown' | 'revoked' };
