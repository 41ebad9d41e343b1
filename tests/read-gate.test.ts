import { isDatabaseBusy } from '../src/errors';
import { ReadGate } from '../src/read-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the SQLite read gate', () => {
  it('lets a write begin only once the reads running have finished, and holds back reads that arrive meanwhile', async () => {
    const gate = new ReadGate(5000);
    const order: string[] = [];
    expect(gate.enter()).toBeUndefined();
    const write = gate.write(async () => {
      order.push('write');
    });
    const later = gate.enter();
    expect(later).toBeInstanceOf(Promise);
    void later!.then(() => order.push('later read'));
    await tick();
    expect(order).toEqual([]);
    gate.leave();
    await write;
    await tick();
    expect(order).toEqual(['write', 'later read']);
    gate.leave();
  });

  it('lets the reads held back by one write run before the next write begins', async () => {
    const gate = new ReadGate(5000);
    const order: string[] = [];
    let finishFirst!: () => void;
    const first = gate.write(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const held = gate.enter()!;
    const read = held.then(async () => {
      order.push('read starts');
      await tick();
      order.push('read ends');
      gate.leave();
    });
    finishFirst();
    await first;
    const second = gate.write(async () => {
      order.push('second write');
    });
    await Promise.all([read, second]);
    expect(order).toEqual(['read starts', 'read ends', 'second write']);
  });

  it('fails a read held back longer than the limit as busy instead of letting it wait for ever', async () => {
    const gate = new ReadGate(50);
    let finish!: () => void;
    const write = gate.write(() => new Promise<void>((resolve) => (finish = resolve)));
    const held = gate.enter()!;
    const refused = await held.then(() => undefined, (err: unknown) => err);
    expect(isDatabaseBusy(refused)).toBe(true);
    finish();
    await write;
    expect(gate.enter()).toBeUndefined();
    gate.leave();
  });
});
