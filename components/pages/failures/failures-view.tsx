'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ParetoChart, StackedTimeChart } from '@/components/kit/charts/lazy';
import { usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatDateTime } from '@/components/kit/format';
import { Badge, PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import { Stat, StatGrid } from '@/components/kit/stat';
import { FAILURE_DIMENSIONS, type FailedCeremony, type FailureDimension, type FailureGroup } from '@/lib/contracts/failures';
import { failuresQuery } from '@/lib/client/failures';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { lookupHref } from '@/components/pages/lookup/prepare-lookup';
import { TrendCell } from '@/components/pages/recovery/trend-cell';
import { FailuresOverTime } from './failures-over-time';
import { DIMENSION_LABEL, drillDownFilters, drillDownFor, groupKey, groupLabel, parseGroupBy, toParetoRows } from './prepare-failures';
import { plural } from '@/components/pages/recovery/plural';
import styles from '@/components/pages/recovery/detail.module.css';

const OUTCOME_BADGE = (outcome: string) =>
  outcome === 'cancelled' ? <Badge tone="neutral">cancelled</Badge> : <Badge tone="bad">failure</Badge>;

const CEREMONY_COLUMNS: Array<Column<FailedCeremony>> = [
  {
    key: 'ceremonyId',
    header: 'Ceremony',
    value: (row) => row.ceremonyId,
    render: (row) => (
      <Link className={styles.mono} href={lookupHref('ceremonyId', row.ceremonyId)} data-link="ceremony">
        {row.ceremonyId}
      </Link>
    ),
  },
  { key: 'startedAt', header: 'Time (UTC)', value: (row) => row.startedAt, render: (row) => formatDateTime(row.startedAt) },
  {
    key: 'userId',
    header: 'User',
    value: (row) => row.userId,
    render: (row) => (
      <Link className={styles.mono} href={lookupHref('userId', row.userId)}>
        {row.userId}
      </Link>
    ),
  },
  { key: 'type', header: 'Type', value: (row) => row.type },
  { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
  { key: 'serviceVersion', header: 'Release', value: (row) => row.serviceVersion, render: (row) => row.serviceVersion || '—' },
  {
    key: 'credentialId',
    header: 'Credential',
    value: (row) => row.credentialId,
    render: (row) =>
      row.credentialId ? (
        <Link className={styles.mono} href={lookupHref('credentialId', row.credentialId)}>
          {row.credentialId}
        </Link>
      ) : (
        '—'
      ),
  },
  { key: 'reason', header: 'Reason', value: (row) => row.reason },
  { key: 'outcome', header: 'Outcome', value: (row) => row.outcome, render: (row) => OUTCOME_BADGE(row.outcome) },
];

function GroupBySelector({ groupBy, onChange }: { groupBy: FailureDimension[]; onChange: (dims: FailureDimension[]) => void }) {
  return (
    <div className={styles.segmented} role="group" aria-label="Group by (up to 3)" data-testid="group-by">
      {FAILURE_DIMENSIONS.map((dim) => {
        const active = groupBy.includes(dim);
        return (
          <button
            key={dim}
            type="button"
            aria-pressed={active}
            data-value={dim}
            disabled={!active && groupBy.length >= 3}
            onClick={() => onChange(active ? groupBy.filter((d) => d !== dim) : [...groupBy, dim])}
          >
            {DIMENSION_LABEL[dim]}
          </button>
        );
      })}
    </div>
  );
}

export function FailuresView() {
  usePreloadCharts(ParetoChart, StackedTimeChart);
  const { from, to, tz, filters, pageSearch, setPageParam } = useGlobalParams();
  const groupBy = parseGroupBy(pageSearch.get('groupBy'));
  const groupByKey = groupBy.join(',');
  const query = useQuery(failuresQuery({ from, to, tz, filters, groupBy, pageSize: 1 }));
  const [selected, setSelected] = useState<{ groupBy: string; group: FailureGroup } | null>(null);
  const selection = selected && selected.groupBy === groupByKey ? selected.group : null;
  const drill = useMemo(() => (selection ? drillDownFor(selection.values, groupBy) : null), [selection, groupBy]);
  const ceremonies = useQuery({
    ...failuresQuery({
      from,
      to,
      filters: drill ? drillDownFilters(drill, filters) : filters,
      groupBy,
      selection: drill?.selectors ?? {},
      pageSize: 100,
    }),
    enabled: drill !== null,
  });

  const columns: Array<Column<FailureGroup>> = [
    ...groupBy.map((dim) => ({
      key: dim,
      header: DIMENSION_LABEL[dim],
      value: (row: FailureGroup) => row.values[dim] ?? '',
      render: (row: FailureGroup) => row.values[dim] || '(none)',
    })),
    { key: 'ceremonies', header: 'Ceremonies', value: (row) => row.ceremonies, format: 'count' },
    { key: 'failures', header: 'Failures', value: (row) => row.failures, format: 'count' },
    { key: 'cancellations', header: 'Cancels', value: (row) => row.cancellations, format: 'count' },
    { key: 'share', header: 'Share', value: (row) => row.share, format: 'percent' },
    { key: 'cumulativeShare', header: 'Cumulative', value: (row) => row.cumulativeShare, format: 'percent' },
    { key: 'users', header: 'Users', value: (row) => row.users, format: 'count' },
    {
      key: 'trend',
      header: 'vs previous period',
      value: (row) => row.ceremonies - row.previousCeremonies,
      render: (row) => <TrendCell current={row.ceremonies} previous={row.previousCeremonies} />,
      align: 'right',
    },
    {
      key: 'drill',
      header: '',
      sortable: false,
      value: () => null,
      render: (row) => {
        const open = selection !== null && groupKey(selection.values, groupBy) === groupKey(row.values, groupBy);
        return (
          <button
            type="button"
            className={styles.linkButton}
            aria-expanded={open}
            data-action="drill"
            onClick={() => setSelected(open ? null : { groupBy: groupByKey, group: row })}
          >
            {open ? 'Hide' : 'Ceremonies'}
          </button>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="Failures"
        description="Failed and cancelled passkey ceremonies, in Pareto order; a cancel is never counted as a failure."
      />
      <PageGrid>
        <QueryPanel
          testId="failures-headline"
          title="Failed and cancelled ceremonies"
          subtitle="Against the previous period of equal length."
          query={query}
        >
          {(data) => (
            <StatGrid>
              <Stat
                testId="stat-failed-ceremonies"
                label="Failed + cancelled ceremonies"
                value={data.ceremonies}
                previous={data.previous.ceremonies}
                good="down"
                kind="count"
              />
              <Stat testId="stat-failures" label="Failures" value={data.failures} kind="count" />
              <Stat
                testId="stat-cancellations"
                label="Cancels"
                value={data.cancellations}
                kind="count"
                hint="User cancelled or timed out — kept apart from failures."
              />
            </StatGrid>
          )}
        </QueryPanel>
        <FailuresOverTime />
        <QueryPanel
          testId="failures-pareto"
          title="Pareto of failures"
          subtitle={`By ${groupBy.map((dim) => DIMENSION_LABEL[dim].toLowerCase()).join(' + ')}: bars are ceremonies, the line their cumulative share.`}
          actions={
            <GroupBySelector
              groupBy={groupBy}
              onChange={(dims) => setPageParam('groupBy', dims.length === 0 || dims.join(',') === 'reason' ? null : dims.join(','))}
            />
          }
          query={query}
          isEmpty={(data) => data.groups.length === 0}
          emptyMessage="No failed or cancelled ceremony in this window."
        >
          {(data) => (
            <>
              <ParetoChart
                label="Pareto of failure groups"
                data={toParetoRows(data.groups, groupBy)}
                category="label"
                valueKey="ceremonies"
                valueLabel="Ceremonies"
                height={320}
                testId="pareto-chart"
              />
              {data.groups.length > 15 ? (
                <p className={styles.note}>
                  The chart shows the top 15 of {formatCount(data.groups.length)} groups; the table lists them all.
                </p>
              ) : null}
            </>
          )}
        </QueryPanel>
        <QueryPanel
          testId="failures-groups"
          title="Groups"
          subtitle="Choose a group's ceremonies to see the individual ceremonies behind it."
          query={query}
          isEmpty={(data) => data.groups.length === 0}
          emptyMessage="No failed or cancelled ceremony in this window."
        >
          {(data) => (
            <>
              <DataTable
                testId="failure-groups-table"
                rows={data.groups}
                columns={columns}
                rowKey={(row) => groupKey(row.values, groupBy)}
                isSelected={(row) => selection !== null && groupKey(row.values, groupBy) === groupKey(selection.values, groupBy)}
              />
              {data.truncated ? <p className={styles.note}>Only the first {formatCount(data.groups.length)} groups are listed.</p> : null}
            </>
          )}
        </QueryPanel>
        {selection ? (
          <QueryPanel
            testId="failures-ceremonies"
            title={`Ceremonies: ${groupLabel(selection.values, groupBy)}`}
            subtitle="Newest first; open a ceremony in Lookup to see its browser prompt and server verification."
            query={ceremonies}
            isEmpty={(data) => data.ceremonyList.items.length === 0}
            emptyMessage="No ceremony matches this group."
          >
            {(data) => (
              <>
                <DataTable
                  testId="failed-ceremonies-table"
                  rows={data.ceremonyList.items}
                  columns={CEREMONY_COLUMNS}
                  rowKey={(row) => row.ceremonyId}
                />
                <p className={styles.note}>
                  {plural(data.ceremonyList.total, 'ceremony', 'ceremonies')}
                  {data.ceremonyList.total > data.ceremonyList.items.length ? `, newest ${data.ceremonyList.items.length} shown` : ''}.
                </p>
              </>
            )}
          </QueryPanel>
        ) : null}
      </PageGrid>
    </>
  );
}
