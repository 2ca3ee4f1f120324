'use client';

import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame';
import { AXIS_TICK, GRID_STROKE, seriesColor, TONE_COLORS } from './palette';
import { formatTick, formatValue } from './series';

export interface ParetoChartProps {
  /** Rows from prepare/pareto.ts (sorted, with cumulativeShare). */
  data: ReadonlyArray<Record<string, unknown>>;
  category: string;
  /** The count key (default `paretoValue`). */
  valueKey?: string;
  valueLabel?: string;
  height?: number;
  label: string;
  testId?: string;
}

/** Bars of a count (descending) with the cumulative share as a line on a 0–100 % axis. Renders only. */
export function ParetoChart({
  data,
  category,
  valueKey = 'paretoValue',
  valueLabel = 'Count',
  height = 280,
  label,
  testId,
}: ParetoChartProps) {
  return (
    <ChartFrame label={label} height={height} testId={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data as Array<Record<string, unknown>>} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey={category} tick={AXIS_TICK} interval={0} angle={-25} textAnchor="end" height={70} />
          <YAxis yAxisId="count" tick={AXIS_TICK} tickFormatter={(v) => formatTick(v, 'count')} width={56} />
          <YAxis
            yAxisId="share"
            orientation="right"
            domain={[0, 1]}
            tick={AXIS_TICK}
            tickFormatter={(v) => formatTick(v, 'percent')}
            width={48}
          />
          <Tooltip formatter={(value, name) => formatValue(value, name === 'Cumulative share' ? 'percent' : 'count')} />
          <Bar
            yAxisId="count"
            dataKey={valueKey}
            name={valueLabel}
            fill={seriesColor(0)}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
            maxBarSize={40}
          />
          <Line
            yAxisId="share"
            dataKey="cumulativeShare"
            name="Cumulative share"
            stroke={TONE_COLORS.bad}
            strokeWidth={2}
            dot={{ r: 2 }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
