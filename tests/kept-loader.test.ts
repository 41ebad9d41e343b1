import { KeptLoader } from '../src/graphql/batch';

describe('KeptLoader answers at once with what it holds', () => {
  function counting() {
    const batches: number[][] = [];
    const loader = new KeptLoader<number, string | null>(async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => (k > 0 ? `row ${k}` : null));
    });
    return { loader, batches };
  }

  it('gives a primed value without a promise, and builds it once per key', () => {
    const { loader, batches } = counting();
    let built = 0;
    const make = () => `primed ${++built}`;
    loader.primeWith(7, make);
    loader.primeWith(7, make);
    expect(loader.get(7)).toBe('primed 1');
    expect(built).toBe(1);
    expect(batches).toEqual([]);
  });

  it('loads a key it does not hold in one batch, then holds it (null included)', async () => {
    const { loader, batches } = counting();
    const first = loader.get(3);
    const missing = loader.get(-1);
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toBe('row 3');
    await expect(missing).resolves.toBeNull();
    expect(loader.get(3)).toBe('row 3');
    expect(loader.get(-1)).toBeNull();
    expect(batches).toEqual([[3, -1]]);
  });

  it('keeps answering load() as DataLoader does for a primed key', async () => {
    const { loader, batches } = counting();
    loader.primeWith(5, () => 'primed');
    await expect(loader.load(5)).resolves.toBe('primed');
    expect(batches).toEqual([]);
  });
});
