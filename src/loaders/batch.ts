import DataLoader from 'dataloader';

/** No statement binds more than 500 keys: well inside every SQLite and PostgreSQL parameter limit. */
export const MAX_BATCH = 500;

/** One result per key, in key order, null where the key has no row (DataLoader's contract). */
export function oneEach<K, V>(keys: readonly K[], values: V[], keyOf: (v: V) => K): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const v of values) if (!byKey.has(keyOf(v))) byKey.set(keyOf(v), v);
  return keys.map((k) => byKey.get(k) ?? null);
}

/** A list per key, in key order, keeping the order the rows came in. */
export function listEach<K, V>(keys: readonly K[], pairs: Array<[K, V]>): V[][] {
  const byKey = new Map<K, V[]>(keys.map((k) => [k, []]));
  for (const [k, v] of pairs) byKey.get(k)?.push(v);
  return keys.map((k) => byKey.get(k) as V[]);
}

export function loader<K, V, C = K>(
  batch: (keys: readonly K[]) => Promise<V[]>,
  cacheKeyFn?: (key: K) => C,
): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(batch, { maxBatchSize: MAX_BATCH, ...(cacheKeyFn ? { cacheKeyFn } : {}) });
}
