'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { StackedTimeChart } from '@/components/kit/charts/lazy';
import { useAnnotations } from '@/lib/client/annotations';
import { useSpikeAnnotations } from '@/lib/client/alerts';
import { QueryPanel } from '@/components/kit/panel';
import { FAILURE_SERIES_GROUPS, type FailuresSeriesResponse } from '@/lib/contracts/failures';
import { failuresSeriesQuery } from '@/lib/client/failures';
import { useGlobalParams } from '@/lib/client/use-global-params';
import styles from '@/components/pages/recovery/detail.module.css';
import { hoursAllowed, parseSeriesGroup, SERIES_GROUP_LABEL, seriesInterval, toSeriesChart } from './prepare-series';

/**
 * Failures and cancels per hour or day, stacked by reason, device class or release. Drag the brush
 * under the chart to select a range; "Zoom in" makes it the page's window (hours from 3 days down).
 */
export function FailuresOverTime() {
  const { from, to, tz, filters, pageSearch, setPageParam, update } = useGlobalParams();
  const interval = seriesInterval(pageSearch.get('interval'), from, to);
  const groupBy = parseSeriesGroup(pageSearch.get('seriesBy'));
  const query = useQuery(failuresSeriesQuery({ from, to, tz, filters, interval, groupBy }));

  const actions = (
    <div className={styles.toolbar}>
      <div className={styles.segmented} role="group" aria-label="Bucket size" data-testid="series-interval">
        {(['day', 'hour'] as const).map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={interval === value}
            data-value={value}
            disabled={value === 'hour' && !hoursAllowed(from, to)}
            title={value === 'hour' && !hoursAllowed(from, to) ? 'Too many hours in this window: zoom in first' : undefined}
            onClick={() => setPageParam('interval', value)}
          >
            {value === 'day' ? 'Days' : 'Hours'}
          </button>
        ))}
      </div>
      <div className={styles.segmented} role="group" aria-label="Stack by" data-testid="series-group-by">
        {FAILURE_SERIES_GROUPS.map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={groupBy === value}
            data-value={value}
            onClick={() => setPageParam('seriesBy', value === 'reason' ? null : value)}
          >
            {SERIES_GROUP_LABEL[value]}
          </button>
        ))}
      </div>
    </div>
  );

  return (
    <QueryPanel
      testId="failures-over-time"
      title="Failures over time"
      subtitle={`Failed and cancelled ceremonies per ${interval}, stacked by ${SERIES_GROUP_LABEL[groupBy].toLowerCase()} (${tz}). Drag the handles under the chart to select a range.`}
      actions={actions}
      query={query}
      isEmpty={(data) => data.groups.length === 0}
      emptyMessage="No failed or cancelled ceremony in this window."
    >
      {(data) => (
        <SeriesChart
          key={`${from}|${to}|${interval}|${groupBy}`}
          data={data}
          onZoom={(range) => update({ range: { kind: 'custom', ...range } })}
        />
      )}
    </QueryPanel>
  );
}

/**
 * The chart and its zoom button. Its rows are memoised: the brush keeps its selection only while the
 * chart's data stays the same array (a new one resets it, mid-drag).
 */
function SeriesChart({ data, onZoom }: { data: FailuresSeriesResponse; onZoom: (range: { from: string; to: string }) => void }) {
  const chart = useMemo(() => toSeriesChart(data), [data]);
  const shared = useAnnotations();
  const spikes = useSpikeAnnotations();
  const annotations = useMemo(() => (spikes.length === 0 ? shared : [...shared, ...spikes]), [shared, spikes]);
  const [selected, setSelected] = useState<{ startIndex: number; endIndex: number } | null>(null);
  const onBrush = useCallback((range: { startIndex: number; endIndex: number }) => setSelected(range), []);
  const last = data.buckets.length - 1;
  const zoomable = selected !== null && (selected.startIndex > 0 || selected.endIndex < last);
  return (
    <>
      <StackedTimeChart
        label="Failed and cancelled ceremonies over time"
        data={chart.rows}
        series={chart.series}
        format="count"
        testId="failures-series-chart"
        onBrush={onBrush}
        annotations={annotations}
        lastBucketEnd={Date.parse(data.to)}
      />
      <p className={styles.note}>
        <button
          type="button"
          className={styles.linkButton}
          data-action="zoom"
          disabled={!zoomable}
          onClick={() => selected && onZoom({ from: data.buckets[selected.startIndex]!.start, to: data.buckets[selected.endIndex]!.end })}
        >
          Zoom in to the selection
        </button>
        {data.otherGroups > 0 ? ` · ${data.otherGroups} smaller groups are summed as “(other)”.` : ''}
      </p>
    </>
  );
}
