/** components/kit/prepare/annotation-marks.ts: each annotation on the bucket it falls in; a shared bucket, one mark. */
import { describe, expect, it } from 'vitest';
import { annotationMarks } from '@/components/kit/prepare/annotation-marks';
import type { Annotation } from '@/lib/contracts/annotations';

const release = (at: string, label = 'api 2.0'): Annotation => ({ kind: 'release', at, label, detail: `first event of ${label}` });
const decision = (at: string): Annotation => ({ kind: 'stage_decision', at, label: 'advance 1→2', detail: 'advance 1→2 by Priya' });

describe('annotationMarks', () => {
  const days = ['2026-11-01', '2026-11-02', '2026-11-03'];

  it('puts an annotation on the day it falls in, and leaves out what lies outside the chart', () => {
    expect(
      annotationMarks([release('2026-11-02T23:59:59.999Z'), release('2026-10-31T23:00:00Z'), release('2026-11-04T00:00:00Z')], days),
    ).toEqual([{ x: '2026-11-02', kind: 'release', text: 'api 2.0', detail: 'first event of api 2.0' }]);
  });

  it('merges the annotations of one bucket into one mark', () => {
    expect(
      annotationMarks([release('2026-11-03T01:00:00Z', 'web 5'), decision('2026-11-03T09:00:00Z'), decision('2026-11-01T00:00:00Z')], days),
    ).toEqual([
      { x: '2026-11-01', kind: 'stage_decision', text: 'advance 1→2', detail: 'advance 1→2 by Priya' },
      { x: '2026-11-03', kind: 'mixed', text: '2 events', detail: 'first event of web 5\nadvance 1→2 by Priya' },
    ]);
  });

  it('works on hour buckets (ISO instants)', () => {
    const hours = ['2026-11-01T10:00:00.000Z', '2026-11-01T11:00:00.000Z'];
    expect(annotationMarks([decision('2026-11-01T11:30:00Z'), decision('2026-11-01T12:00:00Z')], hours).map((m) => m.x)).toEqual([
      '2026-11-01T11:00:00.000Z',
    ]);
  });

  it('ends the last bucket at lastEnd when buckets are uneven (weeks the window cuts)', () => {
    // a window of 2026-11-04 (a Wednesday) to 2026-11-12 12:00: a cut week, a whole week from Monday, a cut week
    const weeks = ['2026-11-04T00:00:00.000Z', '2026-11-09T00:00:00.000Z'];
    const end = Date.parse('2026-11-12T12:00:00Z');
    const marks = annotationMarks(
      [decision('2026-11-05T00:00:00Z'), release('2026-11-12T11:00:00Z'), release('2026-11-12T12:00:00Z')],
      weeks,
      end,
    );
    expect(marks.map((mark) => [mark.x, mark.kind])).toEqual([
      ['2026-11-04T00:00:00.000Z', 'stage_decision'],
      ['2026-11-09T00:00:00.000Z', 'release'],
    ]);
    // without lastEnd the last bucket would run one step (5 days) past its start, to 2026-11-14
    expect(annotationMarks([release('2026-11-13T00:00:00Z')], weeks)).toHaveLength(1);
    expect(annotationMarks([release('2026-11-13T00:00:00Z')], weeks, end)).toEqual([]);
  });

  it('takes a whole bucket as its step when the window cuts the first one (a 7-day window from 13:12)', () => {
    // the first day runs 13:12 → midnight (10 h 48 min); the last one, today, would end at 10:48 if that were the step
    const cutDays = ['2026-11-28T13:12:00.000Z', '2026-11-29T00:00:00.000Z', '2026-11-30T00:00:00.000Z'];
    expect(annotationMarks([release('2026-11-30T13:10:50Z')], cutDays).map((m) => m.x)).toEqual(['2026-11-30T00:00:00.000Z']);
    // with the window's end as lastEnd, what came after it is off the chart
    expect(annotationMarks([release('2026-11-30T13:12:30Z')], cutDays, Date.parse('2026-11-30T13:12:00Z'))).toEqual([]);
  });
});
