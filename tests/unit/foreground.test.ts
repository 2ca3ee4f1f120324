/** Background work gives way to requests being answered (lib/foreground.ts). */
import { describe, expect, it } from 'vitest';
import { beginForeground, foregroundPending, waitWhile } from '@/lib/foreground';

describe('foreground requests', () => {
  it('counts a request from its start until it is answered, once however often it ends', () => {
    const before = foregroundPending();
    const end = beginForeground();
    const other = beginForeground();
    expect(foregroundPending()).toBe(before + 2);
    end();
    end();
    expect(foregroundPending()).toBe(before + 1);
    other();
    expect(foregroundPending()).toBe(before);
  });

  it('background work waits while requests are answered, and goes on once none is', async () => {
    const end = beginForeground();
    setTimeout(end, 120);
    const started = Date.now();
    await waitWhile(() => foregroundPending() > 0, 5_000, 10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(foregroundPending()).toBe(0);
  });

  it('a stream of requests delays background work but never stops it', async () => {
    const end = beginForeground();
    const started = Date.now();
    await waitWhile(() => foregroundPending() > 0, 150, 10);
    const waited = Date.now() - started;
    end();
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(2_000);
  });
});
