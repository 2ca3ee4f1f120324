'use client';

import { DataTable, type Column } from '@/components/kit/data-table';
import { formatLabel } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import type { FallbackMethodRow, FallbackMethodsResponse } from '@/lib/contracts/cohorts';
import { fallbackMethodsQuery, type MetricsParams } from '@/lib/client/query-options';
import { useQueryAfterFirstRead } from '@/lib/client/first-read';

const COLUMNS: ReadonlyArray<Column<FallbackMethodRow>> = [
  { key: 'method', header: 'Method', value: (row) => formatLabel(row.method) },
  { key: 'users', header: 'Users', value: (row) => row.users, format: 'count', title: 'Active users who signed in with this method' },
  { key: 'shareOfActiveUsers', header: 'Of active users', value: (row) => row.shareOfActiveUsers, format: 'percent' },
  {
    key: 'onlyMethod',
    header: 'Nothing else',
    value: (row) => row.onlyMethod,
    format: 'count',
    title: 'Every sign-in in the window used it',
  },
  {
    key: 'withoutPasskeyOnTheirDevices',
    header: 'Would be stranded',
    value: (row) => row.withoutPasskeyOnTheirDevices,
    format: 'count',
    title: 'No passkey registered on any device class they sign in from: retiring the method leaves them without a way in',
  },
  { key: 'strandedShare', header: 'Stranded share', value: (row) => row.strandedShare, format: 'percent' },
  { key: 'withoutAnyPasskey', header: 'No passkey at all', value: (row) => row.withoutAnyPasskey, format: 'count' },
];

/** The evidence for retiring a fallback method: who still depends on it, and whom retiring it would strand. */
export function FallbackMethodsPanel({ params }: { params: MetricsParams }) {
  const query = useQueryAfterFirstRead(fallbackMethodsQuery(params));
  return (
    <QueryPanel
      query={query}
      title="Dependence on fallback methods"
      subtitle="Active users signing in with each method other than a passkey, and those without a passkey on any device class they use"
      testId="panel-fallback-methods"
      isEmpty={(data: FallbackMethodsResponse) => data.methods.length === 0}
      emptyMessage="Nobody signed in with a fallback method in this window."
    >
      {(data) => (
        <DataTable
          rows={data.methods}
          columns={COLUMNS}
          rowKey={(row) => row.method}
          testId="fallback-methods-table"
          caption="Dependence on fallback methods"
        />
      )}
    </QueryPanel>
  );
}
