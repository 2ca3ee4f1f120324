import { describe, expect, it } from 'vitest';
import { bucketStarts, fillTimeBuckets } from '@/components/kit/prepare/time-buckets';

interface Day {
  day: string;
  ceremonies: number;
  successRate: number | null;
}

describe('fillTimeBuckets', () => {
  it('fills every UTC day of the window: 0 for counts, null (a gap) for rates', () => {
    const rows: Day[] = [
      { day: '2026-05-02', ceremonies: 4, successRate: 0.75 },
      { day: '2026-05-04', ceremonies: 2, successRate: 0.5 },
    ];
    const filled = fillTimeBuckets(rows, {
      from: '2026-05-01T00:00:00Z',
      to: '2026-05-05T00:00:00Z',
      interval: 'day',
      time: (row) => row.day,
      counts: ['ceremonies'],
      rates: ['successRate'],
    });
    expect(filled.map((b) => [b.start, b.ceremonies, b.successRate, b.present])).toEqual([
      ['2026-05-01', 0, null, false],
      ['2026-05-02', 4, 0.75, true],
      ['2026-05-03', 0, null, false],
      ['2026-05-04', 2, 0.5, true],
    ]);
  });

  it('a window starting mid-day starts with the day containing it and ends before `to`', () => {
    expect(
      bucketStarts({ from: '2026-05-01T13:30:00Z', to: '2026-05-03T00:00:00Z', interval: 'day' }).map((ms) => new Date(ms).toISOString()),
    ).toEqual(['2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z']);
    expect(bucketStarts({ from: '2026-05-01T13:30:00Z', to: '2026-05-03T00:00:01Z', interval: 'day' })).toHaveLength(3);
  });

  it('hour buckets are labelled by ISO instant, rows outside the window are dropped', () => {
    const filled = fillTimeBuckets(
      [
        { at: '2026-05-01T01:15:00Z', n: 3 },
        { at: '2026-05-01T01:45:00Z', n: 2 },
        { at: '2026-05-01T09:00:00Z', n: 7 },
      ],
      { from: '2026-05-01T00:00:00Z', to: '2026-05-01T03:00:00Z', interval: 'hour', time: (row) => row.at, counts: ['n'], rates: [] },
    );
    expect(filled.map((b) => [b.start, b.n])).toEqual([
      ['2026-05-01T00:00:00.000Z', 0],
      ['2026-05-01T01:00:00.000Z', 5],
      ['2026-05-01T02:00:00.000Z', 0],
    ]);
  });

  it('two rows in one bucket add counts but cannot add rates: the rate becomes null', () => {
    const filled = fillTimeBuckets(
      [
        { at: '2026-05-04T00:00:00Z', n: 1, rate: 0.2 },
        { at: '2026-05-06T00:00:00Z', n: 2, rate: 0.4 },
      ],
      { from: '2026-05-04', to: '2026-05-11', interval: 'week', time: (row) => row.at, counts: ['n'], rates: ['rate'] },
    );
    // 2026-05-04 is a Monday: one week bucket.
    expect(filled).toHaveLength(1);
    expect(filled[0]).toMatchObject({ start: '2026-05-04', n: 3, rate: null, present: true });
  });

  it("'from' alignment makes fixed-length buckets starting at `from`", () => {
    const filled = fillTimeBuckets([{ at: '2026-05-01T13:00:00Z', n: 1 }], {
      from: '2026-05-01T12:00:00Z',
      to: '2026-05-03T00:00:00Z',
      interval: 'day',
      align: 'from',
      time: (row) => row.at,
      counts: ['n'],
      rates: [],
    });
    expect(filled.map((b) => [b.start, b.n])).toEqual([
      ['2026-05-01T12:00:00.000Z', 1],
      ['2026-05-02T12:00:00.000Z', 0],
    ]);
  });

  it('an empty or inverted window has no buckets', () => {
    expect(bucketStarts({ from: '2026-05-02', to: '2026-05-01', interval: 'day' })).toEqual([]);
    expect(bucketStarts({ from: 'not a date', to: '2026-05-01', interval: 'day' })).toEqual([]);
  });
});
