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

/**
 * A loader that also answers at once with a value it already holds: primed by an article query
 * (see article-cards.ts) or loaded earlier in the request. A resolver returning a promise makes
 * graphql-js finish that field, and each object above it, on a later microtask; a home list's card
 * relations are all at hand before their fields run.
 */
export class KeptLoader<K, V> extends DataLoader<K, V> {
  private readonly held: Map<K, V>;

  constructor(batch: (keys: readonly K[]) => Promise<V[]>) {
    const held = new Map<K, V>();
    super(
      async (keys) => {
        const values = await batch(keys);
        keys.forEach((key, i) => held.set(key, values[i]));
        return values;
      },
      { maxBatchSize: MAX_BATCH },
    );
    this.held = held;
  }

  /** The value if held, else the promise of loading it. */
  get(key: K): V | Promise<V> {
    return this.held.has(key) ? (this.held.get(key) as V) : this.load(key);
  }

  /** Primes `key` with what `make` builds, unless the key is held already (then nothing is built). */
  primeWith(key: K, make: () => V): void {
    if (this.held.has(key)) return;
    const value = make();
    this.held.set(key, value);
    this.prime(key, value);
  }
}
