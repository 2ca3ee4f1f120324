'use client';

import { Bar, BarChart as RechartsBarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnnotationMark } from '../prepare/annotation-marks';
import { annotationLines } from './annotation-lines';
import { ChartFrame } from './chart-frame';
import { AXIS_TICK, GRID_STROKE, HOVER_FILL, seriesColor } from './palette';
import { formatTick, formatValue, type SeriesSpec, type ValueFormat } from './series';

export interface BarChartProps {
  data: ReadonlyArray<Record<string, unknown>>;
  /** The key holding each bar group's label. */
  category: string;
  series: readonly SeriesSpec[];
  format: ValueFormat;
  /** 'horizontal': bars go right (labels on the left; good for long names). */
  orientation?: 'vertical' | 'horizontal';
  height?: number;
  label: string;
  testId?: string;
  /** Fix the value axis to [0, 1] for rates. */
  unitDomain?: boolean;
  /** Stage decisions and releases (annotationMarks), each standing on its category's value; vertical bars only. */
  marks?: readonly AnnotationMark[];
}

/** Grouped (or, with stackId on the series, stacked) bars. Renders only. */
export function BarChart({
  data,
  category,
  series,
  format,
  orientation = 'vertical',
  height = 260,
  label,
  testId,
  unitDomain,
  marks = [],
}: BarChartProps) {
  const horizontal = orientation === 'horizontal';
  const domain: [number, number] | undefined = unitDomain ? [0, 1] : undefined;
  return (
    <ChartFrame label={label} height={height} testId={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <RechartsBarChart
          data={data as Array<Record<string, unknown>>}
          layout={horizontal ? 'vertical' : 'horizontal'}
          margin={{ top: 8, right: 16, bottom: 4, left: 4 }}
        >
          <CartesianGrid stroke={GRID_STROKE} vertical={horizontal} horizontal={!horizontal} />
          {horizontal ? (
            <>
              <XAxis
                type="number"
                tick={AXIS_TICK}
                tickFormatter={(v) => formatTick(v, format)}
                domain={domain}
                allowDecimals={format !== 'count'}
              />
              <YAxis type="category" dataKey={category} tick={AXIS_TICK} width={130} interval={0} />
            </>
          ) : (
            <>
              <XAxis dataKey={category} tick={AXIS_TICK} interval={0} />
              <YAxis
                tick={AXIS_TICK}
                tickFormatter={(v) => formatTick(v, format)}
                domain={domain}
                width={56}
                allowDecimals={format !== 'count'}
              />
            </>
          )}
          <Tooltip formatter={(value) => formatValue(value, format)} cursor={{ fill: HOVER_FILL }} />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {series.map((spec, index) => (
            <Bar
              key={spec.key}
              dataKey={spec.key}
              name={spec.label}
              fill={spec.color ?? seriesColor(index)}
              stackId={spec.stackId}
              radius={spec.stackId ? 0 : horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0]}
              isAnimationActive={false}
              maxBarSize={36}
            />
          ))}
          {horizontal ? null : annotationLines(marks)}
        </RechartsBarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** Bars with every series on one stack (e.g. successes / failures / cancellations). */
export function StackedBarChart(props: BarChartProps) {
  return <BarChart {...props} series={props.series.map((spec) => ({ ...spec, stackId: spec.stackId ?? 'stack' }))} />;
}
