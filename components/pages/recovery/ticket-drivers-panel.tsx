'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatDateTime } from '@/components/kit/format';
import { PanelEmpty, PanelError, PanelSkeleton, QueryPanel } from '@/components/kit/panel';
import type { AttributedTicket, TicketDriverRow } from '@/lib/contracts/support';
import type { MetricsParams } from '@/lib/client/query-options';
import { driverTicketsQuery, supportDriversQuery } from '@/lib/client/support';
import { lookupHref } from '@/components/pages/lookup/prepare-lookup';
import { driverLabel } from './prepare-recovery';
import { TrendCell } from './trend-cell';
import styles from './detail.module.css';

const TICKET_COLUMNS: Array<Column<AttributedTicket>> = [
  { key: 'openedAt', header: 'Opened (UTC)', value: (row) => row.openedAt, render: (row) => formatDateTime(row.openedAt) },
  { key: 'ticketId', header: 'Ticket', value: (row) => row.ticketId, render: (row) => <span className={styles.mono}>{row.ticketId}</span> },
  { key: 'userId', header: 'User', value: (row) => row.userId, render: (row) => <Link className={styles.mono} href={lookupHref('userId', row.userId)}>{row.userId}</Link> },
  { key: 'category', header: 'Category', value: (row) => row.category },
  {
    key: 'attributed',
    header: 'Attributed to',
    value: (row) => row.ceremonyId ?? row.recoveryFlowId,
    render: (row) =>
      row.ceremonyId ? (
        <Link className={styles.mono} href={lookupHref('ceremonyId', row.ceremonyId)} data-link="ceremony">{row.ceremonyId}</Link>
      ) : row.recoveryFlowId ? (
        <Link className={styles.mono} href={lookupHref('flowId', row.recoveryFlowId)} data-link="flow">recovery {row.recoveryFlowId}</Link>
      ) : (
        '—'
      ),
  },
  { key: 'attributedAt', header: 'Failure at (UTC)', value: (row) => row.attributedAt, render: (row) => formatDateTime(row.attributedAt) },
  { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
  {
    key: 'credentialId',
    header: 'Credential',
    value: (row) => row.credentialId,
    render: (row) => (row.credentialId ? <Link className={styles.mono} href={lookupHref('credentialId', row.credentialId)}>{row.credentialId}</Link> : '—'),
  },
];

function DriverTickets({ params, driver }: { params: MetricsParams; driver: TicketDriverRow }) {
  const query = useQuery(driverTicketsQuery({ ...params, driver: driver.driver }));
  const list = query.data?.driverTickets;
  return (
    <div className={styles.subPanel} data-panel="driver-tickets" data-driver={driver.driver}>
      <h3 className={styles.subTitle}>
        Tickets behind “{driverLabel(driver)}”{list ? ` — ${formatCount(list.total)}${list.total > list.items.length ? `, newest ${list.items.length} shown` : ''}` : ''}
      </h3>
      {query.error && !query.data ? <PanelError error={query.error} retry={() => void query.refetch()} /> : null}
      {query.isPending ? <PanelSkeleton /> : null}
      {list && list.items.length === 0 ? <PanelEmpty>No ticket in this window for this driver.</PanelEmpty> : null}
      {list && list.items.length > 0 ? <DataTable testId="driver-tickets-table" rows={list.items} columns={TICKET_COLUMNS} rowKey={(row) => row.ticketId} /> : null}
    </div>
  );
}

export function TicketDriversPanel(params: MetricsParams) {
  const query = useQuery(supportDriversQuery(params));
  const [open, setOpen] = useState<string | null>(null);
  const columns: Array<Column<TicketDriverRow>> = [
    { key: 'driver', header: 'Driver', value: (row) => row.driver, render: (row) => <span title={row.driver}>{driverLabel(row)}</span> },
    { key: 'tickets', header: 'Tickets', value: (row) => row.tickets, format: 'count' },
    { key: 'usersAffected', header: 'Users affected', value: (row) => row.usersAffected, format: 'count' },
    { key: 'share', header: 'Share', value: (row) => row.share, format: 'percent' },
    { key: 'trend', header: 'vs previous period', value: (row) => row.tickets - row.previousTickets, render: (row) => <TrendCell current={row.tickets} previous={row.previousTickets} />, align: 'right' },
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
            setOpen((current) => (current === row.driver ? null : row.driver));
          }}
        >
          {open === row.driver ? 'Hide tickets' : 'Tickets'}
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
            <DataTable testId="ticket-drivers-table" rows={data.drivers} columns={columns} rowKey={(row) => row.driver} isSelected={(row) => row.driver === open} />
            {selected ? <DriverTickets params={params} driver={selected} /> : null}
          </>
        );
      }}
    </QueryPanel>
  );
}
