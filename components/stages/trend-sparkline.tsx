'use client';

import { Line, LineChart, ReferenceLine, Tooltip, YAxis } from 'recharts';
import type { StageCriterion } from '@/lib/contracts/stages';
import { formatValue, STATUS_LABEL, trendSeries, type TrendDatum } from './prepare';
import styles from './stages.module.css';

/** The criterion's value over the previous windows and the current one; gaps where nothing was observed. */
export function TrendSparkline({ criterion, pending }: { criterion: StageCriterion; pending: boolean }) {
  if (criterion.kind === 'duration') return <span className={styles.sparklineEmpty}>—</span>;
  if (criterion.trend.length === 0) return <span className={styles.sparklineEmpty}>{pending ? 'loading trend…' : '—'}</span>;
  const data = trendSeries(criterion.trend);
  if (data.every((point) => point.value === null)) return <span className={styles.sparklineEmpty}>no data</span>;
  const observed = data.filter((point) => point.value !== null).length;
  return (
    <div className={styles.sparkline} aria-label={`Trend over ${data.length} windows, ${observed} with data`} role="img">
      <LineChart width={120} height={36} data={data} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
        <YAxis hide domain={['auto', 'auto']} />
        <ReferenceLine y={criterion.threshold} stroke="var(--muted)" strokeDasharray="2 2" ifOverflow="extendDomain" />
        <Line
          type="linear"
          dataKey="value"
          stroke="var(--accent)"
          strokeWidth={1.5}
          dot={{ r: 1.5 }}
          isAnimationActive={false}
          connectNulls={false}
        />
        <Tooltip
          wrapperStyle={{ fontSize: 11, zIndex: 10 }}
          formatter={(value) => formatValue(typeof value === 'number' ? value : null, criterion.unit, criterion.perUnit)}
          labelFormatter={(_, payload) => {
            const datum = payload?.[0]?.payload as TrendDatum | undefined;
            return datum ? `window to ${datum.label} · ${STATUS_LABEL[datum.status]}` : '';
          }}
        />
      </LineChart>
    </div>
  );
}
