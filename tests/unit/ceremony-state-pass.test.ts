/** The state pass's pure rules: which hours an event can change, chunking, and when patches are folded. */
import { describe, expect, it } from 'vitest';
import { affectedHours, chunkHours, dueForFold, FOLD_MAX_ROWS, FOLD_MIN_ROWS, FOLD_QUIET_MS } from '@/lib/ceremony-states';
import { beginInsert, settledBefore } from '@/ingest/unsettled';

const H = 3_600_000;

describe('affectedHours', () => {
  it('takes each event hour with the hour before and after, once, in order', () => {
    expect(affectedHours([5 * H, 2 * H, 3 * H])).toEqual([1, 2, 3, 4, 5, 6].map((h) => h * H));
    expect(affectedHours([])).toEqual([]);
  });
});

describe('chunkHours', () => {
  it('cuts sorted hours into consecutive chunks', () => {
    expect(chunkHours([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('dueForFold', () => {
  const now = 100 * H;
  it('folds an hour whose patches went quiet', () => {
    expect(dueForFold({ lastPatch: now - FOLD_QUIET_MS, baseRows: 1_000_000, patchRows: 1 }, now)).toBe(true);
    expect(dueForFold({ lastPatch: now - FOLD_QUIET_MS + 1, baseRows: 1_000_000, patchRows: 1 }, now)).toBe(false);
  });
  it('folds small hours at the minimum, large ones at a quarter of the base, capped', () => {
    expect(dueForFold({ lastPatch: now, baseRows: 0, patchRows: FOLD_MIN_ROWS - 1 }, now)).toBe(false);
    expect(dueForFold({ lastPatch: now, baseRows: 0, patchRows: FOLD_MIN_ROWS }, now)).toBe(true);
    expect(dueForFold({ lastPatch: now, baseRows: 100_000, patchRows: 24_999 }, now)).toBe(false);
    expect(dueForFold({ lastPatch: now, baseRows: 100_000, patchRows: 25_000 }, now)).toBe(true);
    expect(dueForFold({ lastPatch: now, baseRows: 10_000_000, patchRows: FOLD_MAX_ROWS }, now)).toBe(true);
  });
});

describe('settledBefore', () => {
  it('is the time asked for unless an insert stamped earlier is still in flight', () => {
    expect(settledBefore(1_000)).toBe(1_000);
    const first = beginInsert(400);
    const second = beginInsert(700);
    expect(settledBefore(1_000)).toBe(400);
    first();
    expect(settledBefore(1_000)).toBe(700);
    second();
    second();
    expect(settledBefore(1_000)).toBe(1_000);
  });
});
