'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { StackedTimeChart } from '@/components/kit/charts/lazy';
import { usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { useAnnotations } from '@/lib/client/annotations';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDateTime } from '@/components/kit/format';
import { Badge, PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import { Stat, StatGrid } from '@/components/kit/stat';
import { QUARANTINE_DAYS, type QuarantineResponse } from '@/lib/contracts/quarantine';
import { quarantineQuery } from '@/lib/client/quarantine';
import { useGlobalParams } from '@/lib/client/use-global-params';
import styles from '@/components/pages/recovery/detail.module.css';
import { toQuarantineChart } from './prepare-quarantine';

type Sample = QuarantineResponse['samples'][number];

const SAMPLE_COLUMNS: Array<Column<Sample>> = [
  { key: 'receivedAt', header: 'Received (UTC)', value: (row) => row.receivedAt, render: (row) => formatDateTime(row.receivedAt) },
  { key: 'service', header: 'Service', value: (row) => row.service, render: (row) => row.service || '—' },
  { key: 'eventName', header: 'Event', value: (row) => row.eventName, render: (row) => row.eventName || '—' },
  { key: 'reason', header: 'Reason', value: (row) => row.reason, render: (row) => <Badge tone="bad">{row.reason}</Badge> },
  { key: 'detail', header: 'Why', value: (row) => row.detail },
  {
    key: 'record',
    header: 'Record (redacted)',
    sortable: false,
    value: () => null,
    render: (row) => (
      <details>
        <summary>show</summary>
        <pre className={styles.mono} data-field="record">
          {typeof row.record === 'string' ? row.record : JSON.stringify(row.record, null, 2)}
        </pre>
      </details>
    ),
  },
];

function Chart({ data }: { data: QuarantineResponse }) {
  const chart = useMemo(() => toQuarantineChart(data), [data]);
  const annotations = useAnnotations();
  return (
    <StackedTimeChart
      label="Rejected records per day, by reason"
      data={chart.rows}
      series={chart.series}
      format="count"
      height={260}
      testId="quarantine-chart"
      annotations={annotations}
    />
  );
}

/** The records ingest refused, so the engineers who send them can fix their instrumentation. */
export function QuarantineView() {
  usePreloadCharts(StackedTimeChart);
  const { from, to, tz, filters } = useGlobalParams();
  const query = useQuery(quarantineQuery({ from, to, tz, service: filters.service ?? [], reason: [] }));
  const isEmpty = (data: QuarantineResponse) => data.records === 0;
  const empty = `No record was rejected in this window (the quarantine keeps ${QUARANTINE_DAYS} days).`;
  return (
    <>
      <PageHeader
        title="Quarantine"
        description={`Records ingest rejected, by reason and sending service, with the newest as they were stored (contact details redacted). Kept ${QUARANTINE_DAYS} days; of the filters only Service applies.`}
      />
      <PageGrid>
        <QueryPanel testId="quarantine-headline" title="Rejected records" query={query}>
          {(data) => (
            <StatGrid>
              <Stat testId="stat-quarantined" label="Rejected records" value={data.records} kind="count" />
              <Stat testId="stat-quarantine-services" label="Sending services" value={data.byService.length} kind="count" />
              <Stat testId="stat-quarantine-reasons" label="Reasons" value={data.byReason.length} kind="count" />
            </StatGrid>
          )}
        </QueryPanel>
        <QueryPanel
          testId="quarantine-over-time"
          title="Rejected per day"
          subtitle="Stacked by reason (UTC days of receipt)."
          query={query}
          isEmpty={isEmpty}
          emptyMessage={empty}
        >
          {(data) => <Chart data={data} />}
        </QueryPanel>
        <QueryPanel
          testId="quarantine-by-service"
          title="By sending service"
          subtitle="Resource service.name of the rejected records."
          query={query}
          isEmpty={isEmpty}
          emptyMessage={empty}
        >
          {(data) => (
            <DataTable
              testId="quarantine-services-table"
              rows={data.byService}
              rowKey={(row) => row.service}
              columns={[
                { key: 'service', header: 'Service', value: (row) => row.service, render: (row) => row.service || '(none)' },
                { key: 'records', header: 'Rejected', value: (row) => row.records, format: 'count' },
                { key: 'reasons', header: 'Reasons', value: (row) => row.reasons.join(', ') },
              ]}
            />
          )}
        </QueryPanel>
        <QueryPanel
          testId="quarantine-samples"
          title="Newest rejected records"
          subtitle="Exactly what was stored: open one to see its attributes."
          query={query}
          isEmpty={isEmpty}
          emptyMessage={empty}
        >
          {(data) => (
            <DataTable
              testId="quarantine-samples-table"
              rows={data.samples}
              columns={SAMPLE_COLUMNS}
              rowKey={(row) => `${row.receivedAt}|${row.detail}|${JSON.stringify(row.record).slice(0, 200)}`}
            />
          )}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
