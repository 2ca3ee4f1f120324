'use client';

import { BarChart } from '@/components/kit/charts/lazy';
import { PREVIOUS_SERIES } from '@/components/kit/charts/palette';
import { DataTable, type Column } from '@/components/kit/data-table';
import { changeDirection, formatCountDelta, formatLabel, formatRelativeChange } from '@/components/kit/format';
import kit from '@/components/kit/kit.module.css';
import { QueryPanel } from '@/components/kit/panel';
import { Stat, StatGrid } from '@/components/kit/stat';
import type { FallbackCohortReason, FallbackCohortReasonRow } from '@/lib/contracts/cohorts';
import { fallbackCohortCsvUrl, fallbackCohortQuery, type MetricsParams } from '@/lib/client/query-options';
import styles from './signin.module.css';
import { useQueryAfterFirstRead } from '@/lib/client/first-read';

export const COHORT_REASON_LABEL: Record<FallbackCohortReason, string> = {
  no_passkey: 'No passkey',
  passkey_failing: 'Passkey failing',
  cross_platform_gap: 'Cross-platform gap',
  chooses_fallback: 'Chooses fallback',
};

function reasonColumns(params: MetricsParams): ReadonlyArray<Column<FallbackCohortReasonRow>> {
  return [
    { key: 'reason', header: 'Reason', value: (row) => COHORT_REASON_LABEL[row.reason] },
    { key: 'users', header: 'Users', value: (row) => row.users, format: 'count' },
    { key: 'previousUsers', header: 'Previous period', value: (row) => row.previousUsers, format: 'count' },
    {
      key: 'change',
      header: 'Trend',
      value: (row) => row.users - row.previousUsers,
      align: 'right',
      render: (row) => (
        <span className={styles.delta} data-tone={changeDirection(row.users, row.previousUsers)}>
          {formatCountDelta(row.users, row.previousUsers)}
          {row.previousUsers > 0 ? ` (${formatRelativeChange(row.users, row.previousUsers)})` : ''}
        </span>
      ),
    },
    { key: 'shareOfCohort', header: 'Share of cohort', value: (row) => row.shareOfCohort, format: 'percent' },
    {
      key: 'export',
      header: 'User ids',
      value: () => null,
      sortable: false,
      render: (row) =>
        row.users > 0 ? (
          <a className={kit.linkButton} href={fallbackCohortCsvUrl(params, row.reason)} download data-export={row.reason}>
            Export CSV
          </a>
        ) : (
          <span className={kit.linkButton} style={{ color: 'var(--muted)' }}>
            —
          </span>
        ),
    },
  ];
}

/** The fallback-reliant cohort: active users none of whose sign-ins used a passkey, by first-matching reason. */
export function FallbackCohortPanel({ params }: { params: MetricsParams }) {
  const query = useQueryAfterFirstRead(fallbackCohortQuery(params));
  return (
    <QueryPanel
      query={query}
      title="Fallback-reliant cohort"
      subtitle="Active users none of whose successful sign-ins used a passkey, by the first reason that matches; export the user ids for targeted help"
      testId="panel-fallback-cohort"
      isEmpty={(data) => data.activeUsers === 0 && data.previous.activeUsers === 0}
      emptyMessage="No active users in this window."
    >
      {(data) => (
        <>
          <div className={styles.cohortTop}>
            <StatGrid>
              <Stat
                testId="cohort-size"
                label="Cohort size"
                kind="count"
                value={data.cohortSize}
                previous={data.previous.cohortSize}
                good="down"
                hint="Users relying on a fallback"
              />
              <Stat
                testId="cohort-share"
                label="Share of active users"
                kind="percent"
                value={data.cohortShare}
                hint={`of ${data.activeUsers.toLocaleString('en-US')} active users`}
              />
            </StatGrid>
            <BarChart
              data={data.reasons.map((row) => ({ ...row, label: COHORT_REASON_LABEL[row.reason] }))}
              category="label"
              series={[
                { key: 'users', label: 'This period' },
                { key: 'previousUsers', label: 'Previous period', color: PREVIOUS_SERIES },
              ]}
              format="count"
              orientation="horizontal"
              height={200}
              label="Fallback-reliant users by reason, this and the previous period"
            />
          </div>
          <DataTable testId="table-fallback-cohort" rows={data.reasons} columns={reasonColumns(params)} rowKey={(row) => row.reason} />
          {data.cohortSize > 0 ? (
            <p>
              <a className={kit.button} href={fallbackCohortCsvUrl(params, 'all')} download data-export="all">
                Export the whole cohort (CSV)
              </a>
            </p>
          ) : null}
          <p className={kit.panelSubtitle}>Reasons: {data.reasons.map((row) => formatLabel(row.reason)).join(' → ')} (first match wins).</p>
        </>
      )}
    </QueryPanel>
  );
}
