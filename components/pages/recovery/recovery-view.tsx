'use client';

import { useQuery } from '@tanstack/react-query';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatPercent } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import { Stat, StatGrid } from '@/components/kit/stat';
import { Badge, PageGrid, PageHeader } from '@/components/kit/layout';
import { SegmentedControl } from '@/components/kit/segmented-control';
import { RECOVERY_INTERVALS, type RecoveryMethodRow } from '@/lib/contracts/recovery';
import { hourlyAllowed, recoveryInterval, recoveryQuery } from '@/lib/client/recovery';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { methodLabel, seriesMethods, toRecoverySeriesRows } from './prepare-recovery';
import { TicketDriversPanel } from './ticket-drivers-panel';
import { plural } from './plural';
import styles from './detail.module.css';
import { lazyChart, usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { AfterFirstRead } from '@/lib/client/first-read';

const RecoveryLoadChart = lazyChart(
  () => import('./recovery-load-chart').then((module) => module.RecoveryLoadChart),
  () => ({ height: 300, label: 'Recovery starts per method and recovery load' }),
);

const PhishableBadge = ({ phishable }: { phishable: boolean }) =>
  phishable ? <Badge tone="warn">phishable</Badge> : <Badge tone="good">phishing-resistant</Badge>;

const METHOD_COLUMNS: Array<Column<RecoveryMethodRow>> = [
  {
    key: 'method',
    header: 'Method',
    value: (row) => row.method,
    render: (row) => (
      <>
        {methodLabel(row.method)} <PhishableBadge phishable={row.phishable} />
      </>
    ),
  },
  { key: 'started', header: 'Started', value: (row) => row.started, format: 'count' },
  { key: 'completed', header: 'Completed', value: (row) => row.completed, format: 'count' },
  { key: 'failed', header: 'Failed', value: (row) => row.failed, format: 'count' },
  { key: 'abandoned', header: 'Abandoned', value: (row) => row.abandoned, format: 'count' },
  { key: 'inProgress', header: 'In progress', value: (row) => row.inProgress, format: 'count' },
  { key: 'completionRate', header: 'Completion', value: (row) => row.completionRate, format: 'percent' },
  {
    key: 'recoveryLoad',
    header: 'Per 1,000 active / day',
    value: (row) => row.recoveryLoad,
    format: 'decimal',
    title: 'started ÷ active users × 1,000 ÷ days',
  },
];

export function RecoveryView() {
  usePreloadCharts(RecoveryLoadChart);
  const { from, to, tz, filters, pageSearch, setPageParam } = useGlobalParams();
  const hourAllowed = hourlyAllowed(from, to);
  const interval = recoveryInterval(pageSearch, from, to);
  const query = useQuery(recoveryQuery({ from, to, tz, filters, interval }));

  const intervalSwitch = (
    <SegmentedControl
      label="Interval"
      testId="interval-switch"
      options={RECOVERY_INTERVALS.filter((option) => option !== 'hour' || hourAllowed).map((option) => ({ value: option, label: option }))}
      value={interval}
      onChange={(option) => setPageParam('interval', option === 'day' ? null : option)}
    />
  );

  return (
    <>
      <PageHeader
        title="Recovery & support"
        description="How often users need account recovery, through which channels, and what drives support tickets."
      />
      <PageGrid>
        <QueryPanel
          testId="recovery-headline"
          title="Recovery load"
          subtitle="Recoveries started in the window; load = starts ÷ active users × 1,000 ÷ days."
          query={query}
        >
          {(data) => (
            <StatGrid>
              <Stat testId="stat-recovery-load" label="Starts per 1,000 active users / day" value={data.recoveryLoad} kind="decimal" />
              <Stat
                testId="stat-recovery-started"
                label="Recoveries started"
                value={data.started}
                kind="count"
                hint={`${formatCount(data.activeUsers)} active users`}
              />
              <Stat
                testId="stat-recovery-completion"
                label="Completion rate"
                value={data.completionRate}
                kind="percent"
                hint={`${data.completed} completed · ${data.failed} failed · ${data.abandoned} abandoned · ${data.inProgress} in progress`}
              />
              <Stat
                testId="stat-phishable-share"
                label="Phishable share among holders"
                value={data.phishable.phishableShare}
                kind="percent"
                hint={`${data.phishable.phishableHolderRecoveries} of ${data.phishable.holderRecoveries} holder recoveries`}
              />
            </StatGrid>
          )}
        </QueryPanel>
        <QueryPanel
          testId="recovery-series"
          title="Recovery starts over time"
          subtitle="Bars: starts by method. Line: each bucket's starts per 1,000 of its own active users per day (a gap where nobody was active)."
          actions={intervalSwitch}
          query={query}
          isEmpty={(data) => data.started === 0 && data.series.every((bucket) => bucket.started === 0)}
          emptyMessage="No recovery started in this window."
        >
          {(data) => (
            <RecoveryLoadChart rows={toRecoverySeriesRows(data.series)} methods={seriesMethods(data.series)} interval={data.interval} />
          )}
        </QueryPanel>
        <QueryPanel
          testId="recovery-methods"
          title="Recoveries by method"
          subtitle="Ranked by starts; a recovery's outcome is the first terminal stage of its flow."
          query={query}
          isEmpty={(data) => data.byMethod.length === 0}
          emptyMessage="No recovery started in this window."
        >
          {(data) => (
            <DataTable testId="recovery-methods-table" rows={data.byMethod} columns={METHOD_COLUMNS} rowKey={(row) => row.method} />
          )}
        </QueryPanel>
        <QueryPanel
          testId="recovery-phishable"
          title="Phishable recovery among passkey holders"
          subtitle="Recoveries by users who held a passkey when the recovery started, by method."
          query={query}
          isEmpty={(data) => data.phishable.holderRecoveries === 0 && data.phishable.nonHolderRecoveries === 0}
          emptyMessage="No recovery started in this window."
        >
          {(data) => (
            <>
              <p className={styles.note}>
                <strong data-field="phishableShare">{formatPercent(data.phishable.phishableShare)}</strong> of{' '}
                {plural(data.phishable.holderRecoveries, 'holder recovery', 'holder recoveries')} went through a phishable channel;{' '}
                {plural(data.phishable.nonHolderRecoveries, 'recovery was', 'recoveries were')} by users without a passkey.
              </p>
              <DataTable
                testId="recovery-phishable-table"
                rows={data.phishable.byMethod}
                rowKey={(row) => row.method}
                columns={[
                  {
                    key: 'method',
                    header: 'Method',
                    value: (row) => row.method,
                    render: (row) => (
                      <>
                        {methodLabel(row.method)} <PhishableBadge phishable={row.phishable} />
                      </>
                    ),
                  },
                  { key: 'holderRecoveries', header: 'Holder recoveries', value: (row) => row.holderRecoveries, format: 'count' },
                ]}
                emptyMessage="No recovery by a passkey holder."
              />
            </>
          )}
        </QueryPanel>
        <AfterFirstRead settled={!query.isPending}>
          <TicketDriversPanel from={from} to={to} filters={filters} />
        </AfterFirstRead>
      </PageGrid>
    </>
  );
}
