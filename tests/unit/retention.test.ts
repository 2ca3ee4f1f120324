/** Passkey retention without storage: rows to cohorts (shares, partial weeks) and the page's curves. */
import { describe, expect, it } from 'vitest';
import { retentionCurves, shareOf } from '@/components/pages/retention/prepare-retention';
import { retentionCohorts } from '@/lib/metrics/retention';

const rows = [
  { cohortWeek: '2026-11-02', offset: 0, users: 4, passkeySignIns: 3, fallbackOnly: 1, deletedAll: 0 },
  { cohortWeek: '2026-11-02', offset: 1, users: 4, passkeySignIns: 2, fallbackOnly: 0, deletedAll: 1 },
  { cohortWeek: '2026-11-09', offset: 0, users: 2, passkeySignIns: 0, fallbackOnly: 2, deletedAll: 0 },
];
const window = { from: new Date('2026-11-04T00:00:00Z'), to: new Date('2026-11-12T06:00:00Z') };

describe('retentionCohorts', () => {
  it('gives each cohort its weeks with shares of its users, marking cut weeks partial', () => {
    const cohorts = retentionCohorts(rows, window);
    expect(cohorts.map((cohort) => [cohort.week, cohort.users, cohort.partial])).toEqual([
      ['2026-11-02', 4, true],
      ['2026-11-09', 2, false],
    ]);
    expect(cohorts[0]!.weeks).toEqual([
      {
        offset: 0,
        start: '2026-11-02T00:00:00.000Z',
        end: '2026-11-09T00:00:00.000Z',
        partial: false,
        passkeySignIns: 3,
        fallbackOnly: 1,
        deletedAll: 0,
        passkeyShare: 0.75,
        fallbackOnlyShare: 0.25,
        deletedAllShare: 0,
      },
      {
        offset: 1,
        start: '2026-11-09T00:00:00.000Z',
        end: '2026-11-12T06:00:00.000Z',
        partial: true,
        passkeySignIns: 2,
        fallbackOnly: 0,
        deletedAll: 1,
        passkeyShare: 0.5,
        fallbackOnlyShare: 0,
        deletedAllShare: 0.25,
      },
    ]);
  });

  it('draws a curve per cohort, with no point where a cohort has no such week yet', () => {
    const data = { from: '', to: '', tz: 'UTC', filters: {} as never, cohort: 'week' as const, cohorts: retentionCohorts(rows, window) };
    const curves = retentionCurves(data, 'passkey');
    expect(curves.series.map((series) => series.label)).toEqual(['2026-11-02 (4)', '2026-11-09 (2)']);
    expect(curves.rows).toEqual([
      { label: 'Week 0', c00: 0.75, c01: 0 },
      { label: 'Week 1', c00: 0.5, c01: null },
    ]);
    expect(shareOf(data.cohorts[0]!.weeks[1]!, 'deletedAll')).toBe(0.25);
  });
});
