'use client';

import { Bar, BarChart, Brush, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Annotation } from '@/lib/contracts/annotations';
import { annotationMarks } from '../prepare/annotation-marks';
import { annotationLines } from './annotation-lines';
import { ChartFrame } from './chart-frame';
import { AXIS_TICK, GRID_STROKE, HOVER_FILL, seriesColor } from './palette';
import { formatTick, formatTimeTick, formatValue, type SeriesSpec, type ValueFormat } from './series';

export interface StackedTimeChartProps {
  /** One entry per time bucket, in order; `time` holds its start (ISO instant). */
  data: ReadonlyArray<Record<string, unknown>>;
  time?: string;
  series: readonly SeriesSpec[];
  format: ValueFormat;
  height?: number;
  label: string;
  testId?: string;
  /** Stage decisions and releases to mark (GET /api/v1/annotations), each on the bucket it falls in. */
  annotations?: readonly Annotation[];
  /** Where the last bucket ends (epoch ms), e.g. the window's end: annotations after it are off the chart. */
  lastBucketEnd?: number;
  /** With it, a brush under the chart selects a range: called with its first and last bucket index. */
  onBrush?: (range: { startIndex: number; endIndex: number }) => void;
}

/** Stacked bars per time bucket with a brush under them to select a range. Renders only. */
export function StackedTimeChart({
  data,
  time = 'start',
  series,
  format,
  height = 300,
  label,
  testId,
  onBrush,
  annotations = [],
  lastBucketEnd,
}: StackedTimeChartProps) {
  const rows = data as Array<Record<string, unknown>>;
  const marks = annotationMarks(
    annotations,
    rows.map((row) => String(row[time])),
    lastBucketEnd,
  );
  return (
    <ChartFrame label={label} height={height} testId={testId} interactive={Boolean(onBrush) && rows.length > 1}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey={time} tick={AXIS_TICK} tickFormatter={formatTimeTick} minTickGap={24} />
          <YAxis tick={AXIS_TICK} tickFormatter={(v) => formatTick(v, format)} width={56} allowDecimals={false} />
          <Tooltip formatter={(value) => formatValue(value, format)} labelFormatter={formatTimeTick} cursor={{ fill: HOVER_FILL }} />
          {/* in the series' order (largest first, as the caller ranks them), not alphabetically */}
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={(item) => series.findIndex((spec) => spec.key === item.dataKey)} />
          {series.map((spec, index) => (
            <Bar
              key={spec.key}
              dataKey={spec.key}
              name={spec.label}
              fill={spec.color ?? seriesColor(index)}
              stackId="stack"
              isAnimationActive={false}
            />
          ))}
          {annotationLines(marks)}
          {onBrush && rows.length > 1 ? (
            <Brush
              dataKey={time}
              height={24}
              travellerWidth={8}
              stroke="#8a94a3"
              tickFormatter={formatTimeTick}
              onChange={(range) => {
                if (onBrush && typeof range.startIndex === 'number' && typeof range.endIndex === 'number') {
                  onBrush({ startIndex: range.startIndex, endIndex: range.endIndex });
                }
              }}
            />
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
