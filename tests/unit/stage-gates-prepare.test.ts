/** The Stage gates page's pure preparation: formatting, interval-bar marks, trend series, decision stages, the decision log. */
import { describe, expect, it } from 'vitest';
import {
  decisionStages,
  formatEvidence,
  formatInterval,
  formatSample,
  formatThreshold,
  formatValue,
  intervalMarks,
  trendSeries,
  withRecorded,
} from '@/components/stages/prepare';
import type { StageDecision } from '@/lib/contracts/stages';

describe('values, thresholds and intervals in their units', () => {
  it('formats each unit, and a missing value as a dash', () => {
    expect(formatValue(0.98131, 'proportion')).toBe('98.1 %');
    expect(formatValue(2.5, 'rate', 1000)).toBe('2.50 per 1,000');
    expect(formatValue(0.0083, 'ratio')).toBe('0.01×');
    expect(formatValue(1, 'count')).toBe('1');
    expect(formatValue(90, 'days')).toBe('90 days');
    expect(formatValue(1, 'days')).toBe('1 day');
    expect(formatValue(null, 'proportion')).toBe('—');
  });

  it('reads thresholds with their comparator; "zero phishable recoveries" as = 0', () => {
    expect(formatThreshold({ comparator: 'gte', threshold: 0.9, unit: 'proportion', perUnit: null })).toBe('≥ 90.0 %');
    expect(formatThreshold({ comparator: 'lte', threshold: 5, unit: 'rate', perUnit: 1000 })).toBe('≤ 5.00 per 1,000');
    expect(formatThreshold({ comparator: 'lte', threshold: 1, unit: 'ratio', perUnit: null })).toBe('≤ 1.00×');
    expect(formatThreshold({ comparator: 'lte', threshold: 0, unit: 'count', perUnit: null })).toBe('= 0');
    expect(formatThreshold({ comparator: 'gte', threshold: 60, unit: 'days', perUnit: null })).toBe('≥ 60 days');
  });

  it('shows the interval, an open upper end, or nothing for exact kinds', () => {
    expect(formatInterval({ ciLow: 0.9344, ciHigh: 0.9949, unit: 'proportion', perUnit: null })).toBe('95 % CI 93.4 % – 99.5 %');
    expect(formatInterval({ ciLow: 0.2, ciHigh: null, unit: 'ratio', perUnit: null })).toBe('95 % CI from 0.20×, no upper limit');
    expect(formatInterval({ ciLow: null, ciHigh: null, unit: 'count', perUnit: null })).toBe('');
  });

  it('states the sample against its minimum, and the counts behind the value', () => {
    expect(
      formatSample({ sampleSize: 107, minSample: 100, sampleUnit: 'registration ceremonies (successes + failures; cancels excluded)' }),
    ).toBe('107 registration ceremonies (min. 100)');
    expect(formatSample({ sampleSize: null, minSample: 0, sampleUnit: null })).toBe('—');
    expect(formatEvidence({ measurement: { kind: 'proportion', successes: 105, n: 107 } })).toBe('105 / 107');
    expect(formatEvidence({ measurement: { kind: 'rate', events: 41, exposure: 1600, perUnit: 1000 } })).toBe('41 in 1,600');
    expect(
      formatEvidence({
        measurement: { kind: 'rate_comparison', subject: { events: 1, exposure: 300 }, reference: { events: 40, exposure: 100 } },
      }),
    ).toBe('1 / 300 vs 40 / 100');
    expect(formatEvidence({ measurement: { kind: 'count', count: 1, sampleSize: 80 } })).toBe('1 among 80');
    expect(formatEvidence({ measurement: { kind: 'duration', days: null } })).toBe('entry date unknown');
  });
});

describe('interval-bar marks', () => {
  it('zooms a proportion onto the threshold and the interval, inside [0, 1]', () => {
    const marks = intervalMarks({ unit: 'proportion', value: 0.994, ciLow: 0.985, ciHigh: 0.998, threshold: 0.95 });
    expect(marks.domain[0]).toBeCloseTo(0.925, 10);
    expect(marks.domain[1]).toBe(1);
    expect(marks.threshold).toBeLessThan(marks.low!);
    expect(marks.low!).toBeLessThan(marks.value!);
    expect(marks.value!).toBeLessThan(marks.high!);
    expect(marks.openEnded).toBe(false);
    for (const fraction of [marks.low, marks.high, marks.value, marks.threshold]) {
      expect(fraction).toBeGreaterThanOrEqual(0);
      expect(fraction).toBeLessThanOrEqual(1);
    }
  });

  it('runs rates from 0 and lets an unbounded ratio run off the right edge', () => {
    const rate = intervalMarks({ unit: 'rate', value: 2.5, ciLow: 0.06, ciHigh: 13.9, threshold: 2 });
    expect(rate.domain).toEqual([0, 13.9 * 1.2]);
    const ratio = intervalMarks({ unit: 'ratio', value: null, ciLow: 0.5, ciHigh: null, threshold: 1 });
    expect([ratio.openEnded, ratio.high, ratio.value]).toEqual([true, 1, null]);
  });

  it('places an exact count against its threshold', () => {
    const count = intervalMarks({ unit: 'count', value: 0, ciLow: null, ciHigh: null, threshold: 0 });
    expect(count).toMatchObject({ domain: [0, 1], value: 0, threshold: 0, low: null, high: null });
  });
});

describe('trend series and decision stages', () => {
  it('labels each window by its end date and leaves gaps for windows without data', () => {
    expect(
      trendSeries([
        {
          from: '2026-04-20T00:00:00.000Z',
          to: '2026-05-18T00:00:00.000Z',
          value: null,
          ciLow: null,
          ciHigh: null,
          sampleSize: 0,
          status: 'insufficient_data',
          stored: true,
        },
        {
          from: '2026-05-18T12:00:00.000Z',
          to: '2026-06-15T12:00:00.000Z',
          value: 0.9,
          ciLow: 0.8,
          ciHigh: 0.95,
          sampleSize: 100,
          status: 'inconclusive',
          stored: false,
        },
      ]),
    ).toEqual([
      { label: '2026-05-18', value: null, status: 'insufficient_data' },
      { label: '2026-06-15', value: 0.9, status: 'inconclusive' },
    ]);
  });

  it('offers exactly the stages the API accepts', () => {
    expect(decisionStages('advance', 3)).toEqual([4]);
    expect(decisionStages('advance', 5)).toEqual([]);
    expect(decisionStages('hold', 3)).toEqual([3]);
    expect(decisionStages('roll_back', 4)).toEqual([3, 2, 1]);
    expect(decisionStages('roll_back', 1)).toEqual([]);
  });
});

describe('the decision log with the decisions the page just recorded', () => {
  const decision = (id: string, decidedAt: string): StageDecision => ({
    id,
    decidedAt,
    action: 'hold',
    fromStage: 2,
    toStage: 2,
    actor: 'Priya Raman (product)',
    reason: `reason ${id}`,
    snapshotUrl: null,
  });
  const older = decision('a', '2026-12-07T09:00:00.000Z');
  const newer = decision('b', '2026-12-07T10:00:00.000Z');
  const newest = decision('c', '2026-12-07T10:05:00.000Z');

  it('puts a recorded decision the evaluation does not list yet first, newest first', () => {
    expect(withRecorded([newer, older], [newest]).map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
    expect(withRecorded([], [newest, newer]).map((entry) => entry.id)).toEqual(['c', 'b']);
  });

  it('lists each decision once when the evaluation measured after it already has it', () => {
    expect(withRecorded([newest, newer, older], [newest]).map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
    expect(withRecorded([newer, older], [])).toEqual([newer, older]);
  });
});
