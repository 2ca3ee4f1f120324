'use client';

import { Bar, BarChart as RechartsBarChart, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';
import { AXIS_TICK, CHART_INK, HOVER_FILL, seriesColor } from './palette';

export interface FunnelStep {
  label: string;
  value: number;
}

/** Steps of a funnel as horizontal bars, each labelled with its count. Renders only. */
export function FunnelChart({
  steps,
  label,
  testId,
  height,
}: {
  steps: readonly FunnelStep[];
  label: string;
  testId?: string;
  height?: number;
}) {
  return (
    <ChartFrame label={label} height={height ?? 48 + steps.length * 44} testId={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <RechartsBarChart data={steps as FunnelStep[]} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 4 }}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={120} />
          <Tooltip formatter={(value) => formatCount(typeof value === 'number' ? value : null)} cursor={{ fill: HOVER_FILL }} />
          <Bar dataKey="value" name="Users / events" isAnimationActive={false} radius={[0, 3, 3, 0]} maxBarSize={30}>
            {steps.map((step, index) => (
              <Cell key={step.label} fill={seriesColor(0)} fillOpacity={1 - index * (0.5 / Math.max(1, steps.length))} />
            ))}
            <LabelList
              dataKey="value"
              position="right"
              formatter={(value: unknown) => formatCount(typeof value === 'number' ? value : null)}
              style={{ fontSize: 12, fill: CHART_INK }}
            />
          </Bar>
        </RechartsBarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
