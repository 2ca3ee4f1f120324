import { describe, expect, it } from 'vitest';
import { topNWithOther } from '@/components/kit/prepare/top-n';

const rows = [
  { reason: 'a', failures: 5, users: 3 },
  { reason: 'b', failures: 20, users: 9 },
  { reason: 'c', failures: 1, users: 1 },
  { reason: 'd', failures: 5, users: 2 },
  { reason: 'e', failures: 2, users: 2 },
];
const options = {
  label: (row: (typeof rows)[number]) => row.reason,
  values: { failures: (row: (typeof rows)[number]) => row.failures, users: (row: (typeof rows)[number]) => row.users },
  rankBy: 'failures' as const,
};

describe('topNWithOther', () => {
  it('keeps the N largest (ties in input order) and sums the rest into "other"', () => {
    const result = topNWithOther(rows, { ...options, n: 2 });
    expect(result).toEqual([
      { label: 'b', other: false, members: 1, failures: 20, users: 9 },
      { label: 'a', other: false, members: 1, failures: 5, users: 3 },
      { label: 'other', other: true, members: 3, failures: 8, users: 5 },
    ]);
    // Nothing is lost: the totals are the same.
    expect(result.reduce((sum, row) => sum + row.failures, 0)).toBe(33);
  });

  it('does not fold a single leftover row into "other"', () => {
    expect(topNWithOther(rows, { ...options, n: 4 }).map((row) => row.label)).toEqual(['b', 'a', 'd', 'e', 'c']);
  });

  it('uses the given label for the folded row and handles empty input', () => {
    expect(topNWithOther(rows, { ...options, n: 1, otherLabel: 'all other reasons' }).at(-1)?.label).toBe('all other reasons');
    expect(topNWithOther([], { ...options, n: 3 })).toEqual([]);
  });
});
