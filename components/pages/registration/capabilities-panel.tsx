'use client';

import { DataTable, type Column } from '@/components/kit/data-table';
import { formatLabel } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import type { CapabilitiesResponse, CapabilitiesRow } from '@/lib/contracts/capabilities';
import { capabilitiesQuery } from '@/lib/client/capabilities';
import type { MetricsParams } from '@/lib/client/query-options';
import { useQueryAfterFirstRead } from '@/lib/client/first-read';

const COLUMNS: ReadonlyArray<Column<CapabilitiesRow>> = [
  { key: 'deviceClass', header: 'Device class', value: (row) => formatLabel(row.deviceClass) },
  { key: 'activeUsers', header: 'Active users', value: (row) => row.activeUsers, format: 'count' },
  {
    key: 'reportedShare',
    header: 'Reported',
    value: (row) => row.reportedShare,
    format: 'percent',
    title: 'Active users with a capability report on this device class (the figures rest on them)',
  },
  {
    key: 'noPlatformAuthenticatorShare',
    header: 'No platform authenticator',
    value: (row) => row.noPlatformAuthenticatorShare,
    format: 'percent',
    title: 'Of those reporting: no user-verifying platform authenticator — they cannot create a passkey on this device yet',
  },
  {
    key: 'noPlatformAuthenticator',
    header: 'Users',
    value: (row) => row.noPlatformAuthenticator,
    format: 'count',
    title: 'Users reporting no platform authenticator',
  },
  {
    key: 'noConditionalUiShare',
    header: 'No autofill',
    value: (row) => row.noConditionalUiShare,
    format: 'percent',
    title: 'Of those reporting: no conditional UI (passkey autofill in the sign-in form)',
  },
];

/** Can the active users' devices do passkeys yet? Per device class, from their latest capability report. */
export function CapabilitiesPanel({ params }: { params: MetricsParams }) {
  const query = useQueryAfterFirstRead(capabilitiesQuery(params));
  return (
    <QueryPanel
      query={query}
      title="Device capabilities"
      subtitle="Active users per device class by their latest passkey.client.capabilities report: the share that can't use a passkey on that device yet"
      testId="panel-capabilities"
      isEmpty={(data: CapabilitiesResponse) => data.rows.length === 0}
      emptyMessage="No active users in this window."
    >
      {(data) => (
        <DataTable
          rows={data.rows}
          columns={COLUMNS}
          rowKey={(row) => row.deviceClass}
          testId="capabilities-table"
          caption="Device capabilities by device class"
        />
      )}
    </QueryPanel>
  );
}
