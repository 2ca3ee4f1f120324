/** The bounded queue of stage-gate evaluations (lib/stage-gates/evaluation-queue.ts). */
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api/errors';
import { boundedQueue } from '@/lib/stage-gates/evaluation-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('bounded evaluation queue', () => {
  it('runs at most `running` at once, queues `waiting` more in order, and refuses the rest with 503 busy and Retry-After', async () => {
    const queue = boundedQueue({ running: 1, waiting: 2, retryAfterSeconds: 7 });
    const gates = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const calls = gates.map((gate, i) =>
      queue.run(async () => {
        order.push(i);
        await gate.promise;
        return i;
      }),
    );
    const refused = await queue.run(async () => 'never').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, code: 'busy', headers: { 'retry-after': '7' } });
    expect(queue.stats).toEqual({ running: 1, waiting: 2, refused: 1 });
    await Promise.resolve();
    expect(order).toEqual([0]);
    gates[0]!.resolve();
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(calls)).toEqual([0, 1, 2]);
    expect(order).toEqual([0, 1, 2]);
    expect(queue.stats).toEqual({ running: 0, waiting: 0, refused: 1 });
  });

  it('frees its place when the work fails', async () => {
    const queue = boundedQueue({ running: 1, waiting: 0, retryAfterSeconds: 1 });
    await expect(queue.run(async () => Promise.reject(new Error('storage down')))).rejects.toThrow('storage down');
    expect(await queue.run(async () => 'ok')).toBe('ok');
    expect(queue.stats.running).toBe(0);
  });
});
