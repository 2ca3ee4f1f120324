import { describe, expect, it } from 'vitest';
import { mergePreviousPeriod, overlayPreviousSeries } from '@/components/kit/prepare/previous-period';

describe('mergePreviousPeriod', () => {
  it('pairs groups by key; a group on one side only counts 0 on the other', () => {
    const current = [
      { reason: 'no_passkey', users: 10 },
      { reason: 'passkey_failing', users: 4 },
    ];
    const previous = [
      { reason: 'passkey_failing', users: 8 },
      { reason: 'chooses_fallback', users: 3 },
    ];
    const merged = mergePreviousPeriod(
      current,
      previous,
      (row) => row.reason,
      (row) => row.users,
    );
    expect(
      merged.map(({ key, current: now, previous: before, change, relativeChange }) => ({ key, now, before, change, relativeChange })),
    ).toEqual([
      { key: 'no_passkey', now: 10, before: 0, change: 10, relativeChange: null },
      { key: 'passkey_failing', now: 4, before: 8, change: -4, relativeChange: -0.5 },
      { key: 'chooses_fallback', now: 0, before: 3, change: -3, relativeChange: -1 },
    ]);
    expect(merged[1]?.currentRow).toBe(current[1]);
    expect(merged[2]?.currentRow).toBeUndefined();
  });

  it('overlays the previous series by bucket index, null where it is shorter', () => {
    const overlaid = overlayPreviousSeries([{ start: '2026-05-08' }, { start: '2026-05-09' }, { start: '2026-05-10' }], [0.5, null]);
    expect(overlaid).toEqual([
      { start: '2026-05-08', previous: 0.5 },
      { start: '2026-05-09', previous: null },
      { start: '2026-05-10', previous: null },
    ]);
  });
});
