'use client';

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Annotation } from '@/lib/contracts/annotations';
import { annotationMarks } from '../prepare/annotation-marks';
import { annotationLines } from './annotation-lines';
import { ChartFrame } from './chart-frame';
import { AXIS_TICK, GRID_STROKE, seriesColor } from './palette';
import { formatTick, formatTimeTick, formatValue, type SeriesSpec, type ValueFormat } from './series';

export interface TimeSeriesChartProps {
  /** Gap-filled buckets (see prepare/time-buckets.ts); a null value is drawn as a gap. */
  data: ReadonlyArray<Record<string, unknown>>;
  /** The key holding each bucket's label (`YYYY-MM-DD` or an ISO instant). */
  time?: string;
  series: readonly SeriesSpec[];
  format: ValueFormat;
  /** 'area' stacks series that share a stackId. */
  kind?: 'line' | 'area';
  height?: number;
  label: string;
  testId?: string;
  /** Stage decisions and releases to mark (GET /api/v1/annotations), each on the bucket it falls in. */
  annotations?: readonly Annotation[];
  /** Where the last bucket ends (ms), when buckets are uneven (weeks the window cuts); default one step. */
  lastBucketEnd?: number;
  unitDomain?: boolean;
}

/** A line or area chart over time. Renders only; nulls stay gaps (connectNulls off). */
export function TimeSeriesChart({
  data,
  time = 'start',
  series,
  format,
  kind = 'line',
  height = 240,
  label,
  testId,
  unitDomain,
  annotations = [],
  lastBucketEnd,
}: TimeSeriesChartProps) {
  const domain: [number, number] | undefined = unitDomain ? [0, 1] : undefined;
  const rows = data as Array<Record<string, unknown>>;
  const marks = annotationMarks(
    annotations,
    rows.map((row) => String(row[time])),
    lastBucketEnd,
  );
  const axes = (
    <>
      <CartesianGrid stroke={GRID_STROKE} vertical={false} />
      <XAxis dataKey={time} tick={AXIS_TICK} tickFormatter={formatTimeTick} minTickGap={24} />
      <YAxis tick={AXIS_TICK} tickFormatter={(v) => formatTick(v, format)} domain={domain} width={56} allowDecimals={format !== 'count'} />
      <Tooltip formatter={(value) => formatValue(value, format)} labelFormatter={(value) => formatTimeTick(value)} />
      {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
      {annotationLines(marks)}
    </>
  );
  return (
    <ChartFrame label={label} height={height} testId={testId}>
      <ResponsiveContainer width="100%" height="100%">
        {kind === 'area' ? (
          <AreaChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
            {axes}
            {series.map((spec, index) => (
              <Area
                key={spec.key}
                type="linear"
                dataKey={spec.key}
                name={spec.label}
                stackId={spec.stackId}
                stroke={spec.color ?? seriesColor(index)}
                fill={spec.color ?? seriesColor(index)}
                fillOpacity={0.18}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        ) : (
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
            {axes}
            {series.map((spec, index) => (
              <Line
                key={spec.key}
                type="monotone"
                dataKey={spec.key}
                name={spec.label}
                stroke={spec.color ?? seriesColor(index)}
                strokeWidth={2}
                dot={rows.length <= 31 ? { r: 2 } : false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </ChartFrame>
  );
}
