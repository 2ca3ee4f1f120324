'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatDateTime, formatDay, formatDecimal } from '@/components/kit/format';
import type { RecoveryInterval } from '@/lib/contracts/recovery';
import { methodLabel, toRecoveryChartData, type RecoverySeriesRow } from './prepare-recovery';
import { CHART_INK, GRID_STROKE, seriesColor } from '@/components/kit/charts/palette';
import { annotationLines } from '@/components/kit/charts/annotation-lines';
import { annotationMarks } from '@/components/kit/prepare/annotation-marks';
import { useAnnotations } from '@/lib/client/annotations';
import styles from './detail.module.css';

/** Starts per method (stacked bars, left axis) and the API's recovery load per bucket (line, right axis). */
export function RecoveryLoadChart({
  rows,
  methods,
  interval,
}: {
  rows: RecoverySeriesRow[];
  methods: string[];
  interval: RecoveryInterval;
}) {
  const data = toRecoveryChartData(rows);
  const marks = annotationMarks(
    useAnnotations(),
    data.map((row) => String(row.start)),
  );
  const tick = (value: string) => (interval === 'hour' ? (formatDateTime(value).split(', ')[1] ?? value) : formatDay(value));
  return (
    <div className={styles.chart}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey="start" tickFormatter={tick} minTickGap={24} fontSize={12} />
          <YAxis
            yAxisId="starts"
            allowDecimals={false}
            fontSize={12}
            width={40}
            label={{ value: 'starts', angle: -90, position: 'insideLeft', fontSize: 11 }}
          />
          <YAxis
            yAxisId="load"
            orientation="right"
            fontSize={12}
            width={56}
            tickFormatter={(v: number) => formatDecimal(v)}
            label={{ value: 'per 1,000 active', angle: 90, position: 'insideRight', fontSize: 11 }}
          />
          <Tooltip
            labelFormatter={(label) => formatDateTime(String(label))}
            formatter={(value, name) => [
              name === 'Recovery load' ? formatDecimal(value as number | null) : formatCount(value as number),
              name,
            ]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {methods.map((method, index) => (
            <Bar
              key={method}
              yAxisId="starts"
              dataKey={`m:${method}`}
              name={methodLabel(method)}
              stackId="starts"
              fill={seriesColor(index)}
              isAnimationActive={false}
            />
          ))}
          <Line
            yAxisId="load"
            type="monotone"
            dataKey="recoveryLoad"
            name="Recovery load"
            stroke={CHART_INK}
            strokeWidth={2}
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
          {annotationLines(marks)}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
