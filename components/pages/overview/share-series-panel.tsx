'use client';

import { TimeSeriesChart } from '@/components/kit/charts/lazy';
import { useAnnotations } from '@/lib/client/annotations';
import { formatPercent } from '@/components/kit/format';
import { QueryPanel, type QueryLike } from '@/components/kit/panel';
import { fillTimeBuckets } from '@/components/kit/prepare/time-buckets';
import type { SignInShareDay } from '@/lib/contracts/overview';

/** Daily passkey sign-in share; a day without sign-ins is a gap, not 0 %. */
export function prepareShareSeries(series: readonly SignInShareDay[], from: string, to: string) {
  return fillTimeBuckets(series, {
    from,
    to,
    interval: 'day',
    time: (row) => row.day,
    counts: ['successfulSignIns', 'passkeySignIns'],
    rates: ['share'],
  });
}

export function ShareSeriesPanel<T extends { from: string; to: string }>({
  query,
  select,
  overall,
  span = 'half',
  testId = 'panel-passkey-share-series',
}: {
  query: QueryLike<T>;
  select: (data: T) => readonly SignInShareDay[];
  overall?: (data: T) => number | null;
  span?: 'half' | 'full' | 'two-thirds';
  testId?: string;
}) {
  const annotations = useAnnotations();
  return (
    <QueryPanel
      query={query}
      span={span}
      title="Passkey sign-in share over time"
      subtitle={query.data && overall ? `Per UTC day; ${formatPercent(overall(query.data))} over the window` : 'Per UTC day'}
      testId={testId}
      isEmpty={(data) => select(data).every((day) => day.successfulSignIns === 0)}
      emptyMessage="No successful sign-ins in this window."
    >
      {(data) => (
        <TimeSeriesChart
          data={prepareShareSeries(select(data), data.from, data.to)}
          series={[{ key: 'share', label: 'Passkey share' }]}
          format="percent"
          unitDomain
          height={260}
          label="Passkey sign-in share per day"
          annotations={annotations}
        />
      )}
    </QueryPanel>
  );
}
