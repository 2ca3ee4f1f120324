import { describe, expect, it } from 'vitest';
import { groupsToReach, paretoCumulative } from '@/components/kit/prepare/pareto';

describe('paretoCumulative', () => {
  it('sorts descending (ties by label) with each share and the running cumulative share ending at exactly 1', () => {
    const rows = [
      { reason: 'timeout', failures: 1 },
      { reason: 'not_allowed', failures: 6 },
      { reason: 'b_invalid_state', failures: 1 },
      { reason: 'origin_mismatch', failures: 2 },
    ];
    const pareto = paretoCumulative(
      rows,
      (row) => row.failures,
      (row) => row.reason,
    );
    expect(pareto.map((row) => [row.reason, row.paretoValue, row.share, row.cumulativeShare])).toEqual([
      ['not_allowed', 6, 0.6, 0.6],
      ['origin_mismatch', 2, 0.2, 0.8],
      ['b_invalid_state', 1, 0.1, 0.9],
      ['timeout', 1, 0.1, 1],
    ]);
    expect(groupsToReach(pareto, 0.8)).toBe(2);
  });

  it('with a total of 0 the shares are null, and no group reaches a threshold', () => {
    const pareto = paretoCumulative(
      [{ k: 'a', n: 0 }],
      (row) => row.n,
      (row) => row.k,
    );
    expect(pareto[0]).toMatchObject({ share: null, cumulativeShare: null });
    expect(groupsToReach(pareto, 0.8)).toBe(0);
  });

  it('keeps the cumulative share exact with shares that do not add up in floating point', () => {
    const pareto = paretoCumulative(
      [{ n: 1 }, { n: 1 }, { n: 1 }],
      (row) => row.n,
      () => 'x',
    );
    expect(pareto.at(-1)?.cumulativeShare).toBe(1);
    expect(pareto[0]?.share).toBeCloseTo(1 / 3, 12);
  });
});
