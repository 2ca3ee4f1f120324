/** The coalescing queue's flush policy (ingest/coalescer.ts), with a recording flush and real timers. */
import { describe, expect, it } from 'vitest';
import { createCoalescer } from '@/ingest/coalescer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(
  options: { intervalMs?: number; flushRows?: number; maxRows?: number; flushMs?: number; fail?: (key: string) => Error | undefined } = {},
) {
  const flushes: Array<{ key: string; items: number[]; at: number }> = [];
  const start = Date.now();
  const coalescer = createCoalescer<number>({
    intervalMs: options.intervalMs ?? 100,
    flushRows: options.flushRows ?? 1000,
    maxRows: options.maxRows ?? 1000,
    weight: (item) => item,
    async flush(key, items) {
      flushes.push({ key, items: [...items], at: Date.now() - start });
      await sleep(options.flushMs ?? 20);
      const error = options.fail?.(key);
      if (error) throw error;
    },
  });
  return { coalescer, flushes, start };
}

describe('the coalescer', () => {
  it('flushes a lone sender at once: sequential submits wait for nothing', async () => {
    const { coalescer, flushes } = recorder({ intervalMs: 500 });
    const started = Date.now();
    for (let i = 1; i <= 4; i++) await coalescer.submit('a', i);
    // Four flushes of 20 ms; none waited for the 500 ms interval.
    expect(flushes.map((f) => f.items)).toEqual([[1], [2], [3], [4]]);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('puts the submits that arrive together, and those that arrive during a flush, into one insert each', async () => {
    const { coalescer, flushes } = recorder({ intervalMs: 60, flushMs: 30 });
    const first = Array.from({ length: 5 }, (_, i) => coalescer.submit('a', i + 1));
    await sleep(10); // the first flush is in flight
    const second = Array.from({ length: 7 }, (_, i) => coalescer.submit('a', i + 10));
    await Promise.all([...first, ...second]);
    expect(flushes.map((f) => f.items)).toEqual([
      [1, 2, 3, 4, 5],
      [10, 11, 12, 13, 14, 15, 16],
    ]);
    // Under load the second waited for the interval since the first flush started.
    expect(flushes[1]!.at - flushes[0]!.at).toBeGreaterThanOrEqual(55);
  });

  it('does not hold a queue that holds flushRows rows already: large requests under load are not throttled', async () => {
    const { coalescer, flushes } = recorder({ intervalMs: 500, flushRows: 100, maxRows: 1000, flushMs: 20 });
    const started = Date.now();
    // Two senders of large requests, always overlapping: under load, but never waiting the 500 ms.
    await Promise.all(
      [0, 1].map(async (sender) => {
        for (let i = 0; i < 4; i++) await coalescer.submit('a', 100 + sender);
      }),
    );
    expect(flushes.flatMap((f) => f.items)).toHaveLength(8);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('keeps each key in inserts of its own and caps an insert at maxRows rows of whole items', async () => {
    const { coalescer, flushes } = recorder({ intervalMs: 10, maxRows: 10 });
    await Promise.all([
      coalescer.submit('a', 6),
      coalescer.submit('b', 1),
      coalescer.submit('a', 3),
      coalescer.submit('a', 4),
      coalescer.submit('a', 12),
    ]);
    const byKey = (key: string) => flushes.filter((f) => f.key === key).map((f) => f.items);
    expect(byKey('b')).toEqual([[1]]);
    // 6 + 3 fit; 4 would make 13; 12 is over the cap alone and still goes (whole items).
    expect(byKey('a')).toEqual([[6, 3], [4], [12]]);
    expect(coalescer.queued).toBe(0);
  });

  it('rejects every item of a failed insert with its error, and only those', async () => {
    const { coalescer } = recorder({ intervalMs: 10, fail: (key) => (key === 'bad' ? new Error('refused') : undefined) });
    const results = await Promise.allSettled([coalescer.submit('bad', 1), coalescer.submit('good', 2), coalescer.submit('bad', 3)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
  });
});
