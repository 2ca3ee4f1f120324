'use client';

import { BarChart } from '@/components/kit/charts/lazy';
import { DataTable, type Column } from '@/components/kit/data-table';
import { QueryPanel, type QueryLike } from '@/components/kit/panel';
import type { DeviceClassRegistration, OverviewResponse } from '@/lib/contracts/overview';

const COLUMNS: ReadonlyArray<Column<DeviceClassRegistration>> = [
  { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
  { key: 'activeUsers', header: 'Active users', value: (row) => row.activeUsers, format: 'count' },
  {
    key: 'holders',
    header: 'Holders',
    value: (row) => row.holders,
    format: 'count',
    title: 'Active users on this class holding a passkey at the window end',
  },
  { key: 'registrationRate', header: 'Registration rate', value: (row) => row.registrationRate, format: 'percent' },
];

export function RegistrationRatePanel({ query, span = 'half' }: { query: QueryLike<OverviewResponse>; span?: 'half' | 'full' }) {
  return (
    <QueryPanel
      query={query}
      span={span}
      title="Registration rate by device class"
      subtitle="Active users on the class who hold a passkey at the window's end"
      testId="panel-registration-rate"
      isEmpty={(data) => data.registrationByDeviceClass.length === 0}
      emptyMessage="No active users in this window."
    >
      {(data) => (
        <>
          <BarChart
            data={[...data.registrationByDeviceClass].sort((a, b) => b.activeUsers - a.activeUsers)}
            category="deviceClass"
            series={[{ key: 'registrationRate', label: 'Registration rate' }]}
            format="percent"
            orientation="horizontal"
            unitDomain
            height={Math.max(160, 40 + data.registrationByDeviceClass.length * 30)}
            label="Registration rate by device class"
          />
          <DataTable
            testId="table-registration-rate"
            rows={data.registrationByDeviceClass}
            columns={COLUMNS}
            rowKey={(row) => row.deviceClass}
            initialSort={{ key: 'activeUsers', direction: 'descending' }}
          />
        </>
      )}
    </QueryPanel>
  );
}
