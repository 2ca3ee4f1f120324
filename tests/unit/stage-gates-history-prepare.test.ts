import { describe, expect, it } from 'vitest';
import {
  criterionSeries,
  endOfDayTo,
  evaluationLink,
  historySummary,
  parseEvaluationTo,
  pickerDay,
  verdictCells,
} from '@/components/stages/prepare-history';
import type { HistoryDay, HistoryTransition } from '@/lib/contracts/stage-history';

function day(
  date: string,
  verdict: HistoryDay['verdict'],
  value: number | null = 0.5,
  state: HistoryDay['state'] = 'evaluated',
): HistoryDay {
  return {
    day: date,
    evaluationTo: endOfDayTo(date),
    state: verdict ? state : 'not_evaluated',
    evaluatedAt: verdict ? `${date}T03:00:00.000Z` : null,
    verdict,
    criteria: verdict ? [{ id: 'c', value, ciLow: null, ciHigh: null, sampleSize: 10, status: 'pass' }] : [],
  };
}

const transition: HistoryTransition = {
  from: 1,
  to: 2,
  criteria: [
    { id: 'c', metric: 'upsell_acceptance_rate', label: 'Upsell', unit: 'proportion', perUnit: null, comparator: 'gte', threshold: 0.25 },
  ],
  days: [
    day('2026-12-01', null),
    day('2026-12-02', 'inconclusive', 0.2),
    day('2026-12-03', 'ready', 0.3),
    day('2026-12-04', 'ready', null, 'outdated'),
  ],
};

describe('gate history preparation', () => {
  it('gives every day a cell: its verdict, or none when not evaluated, with a readable title', () => {
    expect(verdictCells(transition).map((cell) => [cell.day, cell.verdict, cell.state, cell.title])).toEqual([
      ['2026-12-01', null, 'not_evaluated', '2026-12-01: not evaluated yet'],
      ['2026-12-02', 'inconclusive', 'evaluated', '2026-12-02: Inconclusive'],
      ['2026-12-03', 'ready', 'evaluated', '2026-12-03: Ready'],
      ['2026-12-04', 'ready', 'outdated', '2026-12-04: Ready (late data arrived; re-evaluating)'],
    ]);
  });

  it('draws a criterion per day with gaps, never a made-up value', () => {
    expect(criterionSeries(transition, 'c').map((point) => [point.day, point.value, point.status])).toEqual([
      ['2026-12-01', null, null],
      ['2026-12-02', 0.2, 'pass'],
      ['2026-12-03', 0.3, 'pass'],
      ['2026-12-04', null, 'pass'],
    ]);
  });

  it('tells the verdict story in a line', () => {
    expect(historySummary(transition)).toBe('Ready on 2 of 3 evaluated days; ready since 2026-12-03 (1 day not evaluated yet).');
    expect(historySummary({ ...transition, days: [day('2026-12-01', null)] })).toMatch(/^No day evaluated yet/);
  });
});

describe('a past evaluation on the page', () => {
  it('reads `?to=` as an instant, a date as its midnight UTC, and ignores anything else', () => {
    expect(parseEvaluationTo(null)).toBeNull();
    expect(parseEvaluationTo('2026-11-02')).toBe('2026-11-02T00:00:00.000Z');
    expect(parseEvaluationTo('2026-11-02T01:30:00+01:00')).toBe('2026-11-02T00:30:00.000Z');
    expect(parseEvaluationTo('2026-11-02T00:00:00.000Z')).toBe('2026-11-02T00:00:00.000Z');
    for (const bad of ['yesterday', '2026-13-45', '1700000000', '2026-11-02T25:00:00Z']) expect(parseEvaluationTo(bad), bad).toBeNull();
  });

  it('picks the end of a day, and shows the day an evaluation time ends', () => {
    expect(endOfDayTo('2026-11-30')).toBe('2026-12-01T00:00:00.000Z');
    expect(pickerDay('2026-12-01T00:00:00.000Z')).toBe('2026-11-30');
    expect(pickerDay('2026-12-01T13:10:00.000Z')).toBe('2026-12-01');
    expect(evaluationLink('2026-12-01T00:00:00.000Z')).toBe('/stages?to=2026-12-01T00%3A00%3A00.000Z');
  });
});
