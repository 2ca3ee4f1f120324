'use client';

/**
 * One support driver in detail: its tickets per category and per channel (from the drivers
 * response), and the tickets behind it a page at a time (GET /api/v1/support/drivers/tickets), with
 * a CSV export of all of them, help-desk links when SUPPORT_TICKET_URL_TEMPLATE is configured and
 * the attributed ceremony, recovery or credential opening in Lookup.
 */
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDateTime, formatLabel } from '@/components/kit/format';
import kit from '@/components/kit/kit.module.css';
import { PanelEmpty, PanelError, PanelSkeleton } from '@/components/kit/panel';
import { lookupHref } from '@/components/pages/lookup/prepare-lookup';
import type { AttributedTicket, TicketDriverRow } from '@/lib/contracts/support';
import type { MetricsParams } from '@/lib/client/query-options';
import { driverTicketsCsvUrl, driverTicketsQuery } from '@/lib/client/support';
import { fillUrlTemplate } from '@/lib/domain/url-templates';
import { plural } from './plural';
import { driverLabel } from './prepare-recovery';
import styles from './detail.module.css';
import own from './drivers.module.css';

function TicketId({ ticketId, template }: { ticketId: string; template: string | null }) {
  const href = fillUrlTemplate(template, '{ticketId}', ticketId);
  return href ? (
    <a className={styles.mono} href={href} target="_blank" rel="noopener noreferrer" data-link="ticket" title="Open in the help desk">
      {ticketId}
    </a>
  ) : (
    <span className={styles.mono} data-field="ticketId">
      {ticketId}
    </span>
  );
}

function ticketColumns(template: string | null): Array<Column<AttributedTicket>> {
  return [
    { key: 'openedAt', header: 'Opened (UTC)', value: (row) => row.openedAt, render: (row) => formatDateTime(row.openedAt) },
    {
      key: 'ticketId',
      header: 'Ticket',
      value: (row) => row.ticketId,
      render: (row) => <TicketId ticketId={row.ticketId} template={template} />,
    },
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
    { key: 'category', header: 'Category', value: (row) => row.category, render: (row) => formatLabel(row.category) },
    { key: 'channel', header: 'Channel', value: (row) => row.channel, render: (row) => formatLabel(row.channel) },
    {
      key: 'attributed',
      header: 'Attributed to',
      value: (row) => row.ceremonyId ?? row.recoveryFlowId,
      render: (row) =>
        row.ceremonyId ? (
          <Link className={styles.mono} href={lookupHref('ceremonyId', row.ceremonyId)} data-link="ceremony">
            {row.ceremonyId}
          </Link>
        ) : row.recoveryFlowId ? (
          <Link className={styles.mono} href={lookupHref('flowId', row.recoveryFlowId)} data-link="flow">
            recovery {row.recoveryFlowId}
          </Link>
        ) : (
          '—'
        ),
    },
    {
      key: 'attributedAt',
      header: 'Failure at (UTC)',
      value: (row) => row.attributedAt,
      render: (row) => formatDateTime(row.attributedAt),
    },
    { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
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
  ];
}

interface BreakdownRow {
  name: string;
  tickets: number;
  share: number;
}

const BREAKDOWN_COLUMNS = (header: string): Array<Column<BreakdownRow>> => [
  { key: 'name', header, value: (row) => row.name, render: (row) => <span title={row.name}>{formatLabel(row.name)}</span> },
  { key: 'tickets', header: 'Tickets', value: (row) => row.tickets, format: 'count' },
  { key: 'share', header: 'Share', value: (row) => row.share, format: 'percent' },
];
const CATEGORY_COLUMNS = BREAKDOWN_COLUMNS('Category');
const CHANNEL_COLUMNS = BREAKDOWN_COLUMNS('Channel');

/** The breakdown's rows in the API's order (most tickets first), each with its share of the driver's tickets. */
function breakdownRows(entries: ReadonlyArray<{ name: string; tickets: number }>, total: number): BreakdownRow[] {
  return entries.map((entry) => ({ ...entry, share: total === 0 ? 0 : entry.tickets / total }));
}

function Breakdowns({ driver }: { driver: TicketDriverRow }) {
  const categories = breakdownRows(
    driver.categories.map((row) => ({ name: row.category, tickets: row.tickets })),
    driver.tickets,
  );
  const channels = breakdownRows(
    driver.channels.map((row) => ({ name: row.channel, tickets: row.tickets })),
    driver.tickets,
  );
  return (
    <div className={own.breakdowns}>
      <div>
        <h4 className={own.breakdownTitle}>By category</h4>
        <DataTable
          testId="driver-categories"
          rows={categories}
          columns={CATEGORY_COLUMNS}
          rowKey={(row) => row.name}
          emptyMessage="No ticket in this window."
        />
      </div>
      <div>
        <h4 className={own.breakdownTitle}>By channel</h4>
        <DataTable
          testId="driver-channels"
          rows={channels}
          columns={CHANNEL_COLUMNS}
          rowKey={(row) => row.name}
          emptyMessage="No ticket in this window."
        />
      </div>
    </div>
  );
}

function DriverTickets({ params, driver }: { params: MetricsParams; driver: TicketDriverRow }) {
  const [page, setPage] = useState(1);
  const query = useQuery(driverTicketsQuery({ ...params, driver: driver.driver, page }));
  const data = query.data;
  const template = data?.ticketUrlTemplate ?? null;
  const columns = useMemo(() => ticketColumns(template), [template]);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const shownPage = data?.page ?? page;
  const busy = query.isFetching;

  if (query.error && !data) return <PanelError error={query.error} retry={() => void query.refetch()} />;
  if (!data) return <PanelSkeleton />;
  if (data.total === 0) return <PanelEmpty>No ticket in this window for this driver.</PanelEmpty>;
  return (
    <>
      <div className={own.pager} data-testid="driver-tickets-pager" aria-busy={busy}>
        <button
          type="button"
          className={kit.button}
          data-action="previous-page"
          disabled={shownPage <= 1 || busy}
          onClick={() => setPage(shownPage - 1)}
        >
          Previous
        </button>
        <span className={own.pagerStatus} aria-live="polite">
          Page <strong data-field="page">{shownPage}</strong> of <strong data-field="pages">{pages}</strong> ·{' '}
          <span data-field="total" data-value={data.total}>
            {plural(data.total, 'ticket', 'tickets')}
          </span>
        </span>
        <button
          type="button"
          className={kit.button}
          data-action="next-page"
          disabled={shownPage >= pages || busy}
          onClick={() => setPage(shownPage + 1)}
        >
          Next
        </button>
        <span className={own.pagerSpacer} />
        <a className={kit.button} href={driverTicketsCsvUrl(params, driver.driver)} download data-testid="driver-tickets-csv">
          Download CSV
        </a>
      </div>
      {query.error ? <PanelError error={query.error} retry={() => void query.refetch()} /> : null}
      {data.items.length === 0 ? (
        <PanelEmpty>
          No ticket on this page.{' '}
          <button type="button" className={styles.linkButton} onClick={() => setPage(1)}>
            First page
          </button>
        </PanelEmpty>
      ) : (
        <DataTable testId="driver-tickets-table" rows={data.items} columns={columns} rowKey={(row) => row.ticketId} />
      )}
    </>
  );
}

export function DriverDrillDown({ params, driver }: { params: MetricsParams; driver: TicketDriverRow }) {
  return (
    <div className={styles.subPanel} data-panel="driver-tickets" data-driver={driver.driver}>
      <h3 className={styles.subTitle}>Tickets behind “{driverLabel(driver)}”</h3>
      {driver.tickets > 0 ? <Breakdowns driver={driver} /> : null}
      <DriverTickets params={params} driver={driver} />
    </div>
  );
}
