'use client';

import { useState } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatLabel } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import type { TicketDriverRow } from '@/lib/contracts/support';
import type { MetricsParams } from '@/lib/client/query-options';
import { supportDriversQuery } from '@/lib/client/support';
import { DriverDrillDown } from './driver-drill-down';
import { DriverTrend } from './driver-trend';
import { driverLabel } from './prepare-recovery';
import { TrendCell } from './trend-cell';
import styles from './detail.module.css';
import own from './drivers.module.css';
import { useQueryAfterFirstRead } from '@/lib/client/first-read';

/** `sign in problem · email`: the driver's busiest category and channel (the API lists them most tickets first). */
function topCategoryAndChannel(row: TicketDriverRow): string | null {
  const category = row.categories[0]?.category;
  const channel = row.channels[0]?.channel;
  return category === undefined && channel === undefined ? null : `${formatLabel(category ?? '—')} · ${formatLabel(channel ?? '—')}`;
}

export function TicketDriversPanel(params: MetricsParams) {
  const query = useQueryAfterFirstRead(supportDriversQuery(params));
  const [open, setOpen] = useState<string | null>(null);
  const toggle = (driver: string) => setOpen((current) => (current === driver ? null : driver));
  const columns: Array<Column<TicketDriverRow>> = [
    { key: 'driver', header: 'Driver', value: (row) => row.driver, render: (row) => <span title={row.driver}>{driverLabel(row)}</span> },
    { key: 'tickets', header: 'Tickets', value: (row) => row.tickets, format: 'count' },
    { key: 'usersAffected', header: 'Users affected', value: (row) => row.usersAffected, format: 'count' },
    { key: 'share', header: 'Share', value: (row) => row.share, format: 'percent' },
    {
      key: 'daily',
      header: 'Daily',
      sortable: false,
      value: (row) => row.daily.reduce((sum, day) => sum + day.tickets, 0),
      render: (row) => <DriverTrend daily={row.daily} />,
    },
    {
      key: 'top',
      header: 'Top category · channel',
      value: topCategoryAndChannel,
      render: (row) => <span className={own.top}>{topCategoryAndChannel(row) ?? '—'}</span>,
    },
    {
      key: 'trend',
      header: 'vs previous period',
      value: (row) => row.tickets - row.previousTickets,
      render: (row) => <TrendCell current={row.tickets} previous={row.previousTickets} />,
      align: 'right',
    },
    {
      key: 'expand',
      header: '',
      sortable: false,
      value: () => null,
      render: (row) => (
        <button
          type="button"
          className={styles.linkButton}
          aria-expanded={open === row.driver}
          data-action="expand-driver"
          onClick={(event) => {
            event.stopPropagation();
            toggle(row.driver);
          }}
        >
          {open === row.driver ? 'Hide details' : 'Details'}
        </button>
      ),
    },
  ];
  return (
    <QueryPanel
      testId="ticket-drivers"
      title="Support ticket drivers"
      subtitle="Each ticket is attributed to its user's most recent failed or cancelled ceremony or failed recovery in the 72 h before it."
      query={query}
      isEmpty={(data) => data.drivers.length === 0}
      emptyMessage="No support ticket in this window or the previous one."
    >
      {(data) => {
        const selected = data.drivers.find((row) => row.driver === open);
        return (
          <>
            <p className={styles.note}>
              <strong data-field="tickets">{formatCount(data.tickets)}</strong> {data.tickets === 1 ? 'ticket' : 'tickets'} from{' '}
              <strong data-field="usersAffected">{formatCount(data.usersAffected)}</strong> {data.usersAffected === 1 ? 'user' : 'users'}{' '}
              <TrendCell current={data.tickets} previous={data.previous.tickets} />
            </p>
            <DataTable
              testId="ticket-drivers-table"
              rows={data.drivers}
              columns={columns}
              rowKey={(row) => row.driver}
              isSelected={(row) => row.driver === open}
              onRowClick={(row) => toggle(row.driver)}
            />
            {/* Keyed by driver and window/filters: another driver or window starts again at page 1. */}
            {selected ? (
              <DriverDrillDown
                key={`${selected.driver}|${params.from}|${params.to}|${JSON.stringify(params.filters)}`}
                params={params}
                driver={selected}
              />
            ) : null}
          </>
        );
      }}
    </QueryPanel>
  );
}
