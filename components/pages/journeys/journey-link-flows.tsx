'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatDateTime, formatLabel } from '@/components/kit/format';
import { Panel, QueryPanel } from '@/components/kit/panel';
import type { JourneyFlowsResponse, JourneyLink } from '@/lib/contracts/journeys';
import type { JourneyKind } from '@/lib/domain/journeys';
import { journeyFlowsQuery } from '@/lib/client/journeys';
import type { MetricsParams } from '@/lib/client/query-options';
import detail from '@/components/pages/recovery/detail.module.css';
import { flowLookupHref, formatDuration, linkLabel, pathLabel, stateLabel } from './prepare-journeys';

type FlowRow = JourneyFlowsResponse['flows'][number];

/** At most this many flows per link (the API's default). */
const FLOWS_LIMIT = 100;
const TITLE = 'Flows behind a link';

function flowColumns(search: Pick<URLSearchParams, 'get'>, timeoutMinutes: number): ReadonlyArray<Column<FlowRow>> {
  return [
    {
      key: 'flowId',
      header: 'Flow',
      value: (row) => row.flowId,
      render: (row) => (
        <Link
          className={detail.mono}
          href={flowLookupHref(row.flowId, search, timeoutMinutes)}
          data-flow={row.flowId}
          title={pathLabel(row.path)}
        >
          {row.flowId}
        </Link>
      ),
    },
    {
      key: 'userId',
      header: 'User',
      value: (row) => row.userId,
      render: (row) => <span className={detail.mono}>{row.userId || '—'}</span>,
    },
    { key: 'startedAt', header: 'Start (UTC)', value: (row) => row.startedAt, render: (row) => formatDateTime(row.startedAt) },
    {
      key: 'durationMs',
      header: 'Duration',
      value: (row) => row.durationMs,
      render: (row) => formatDuration(row.durationMs),
      align: 'right',
    },
    { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass, render: (row) => formatLabel(row.deviceClass) || '—' },
    { key: 'endState', header: 'End state', value: (row) => row.endState, render: (row) => stateLabel(row.endState) },
  ];
}

/** The flows behind the selected link of the diagram (newest first), each linking to its Lookup timeline. */
export function JourneyLinkFlows({
  params,
  kind,
  link,
  timeoutMinutes,
  search,
}: {
  params: MetricsParams;
  kind: JourneyKind;
  link: JourneyLink | null;
  timeoutMinutes: number;
  search: Pick<URLSearchParams, 'get'>;
}) {
  const query = useQuery({
    ...journeyFlowsQuery({
      ...params,
      kind,
      link: { depth: link?.depth ?? 0, source: link?.sourceState ?? '', target: link?.targetState ?? '' },
      limit: FLOWS_LIMIT,
    }),
    enabled: link !== null,
  });
  if (link === null) {
    return (
      <Panel
        testId="journey-link-flows"
        title={TITLE}
        state={{ status: 'empty', message: 'Click a link in the diagram, or pick one from the list under it, to see the flows behind it.' }}
      />
    );
  }
  return (
    <QueryPanel
      testId="journey-link-flows"
      title={`${TITLE}: ${linkLabel(link)}`}
      subtitle={`Step ${link.depth + 1} of the path; ${formatCount(link.flows)} ${link.flows === 1 ? 'flow' : 'flows'} in the diagram, newest first. A flow id opens its events in Lookup.`}
      query={query}
      isEmpty={(data) => data.flows.length === 0}
      emptyMessage="No flows behind this link any more: the window or the filters changed."
    >
      {(data) => (
        <>
          <DataTable
            testId="journey-link-flows-table"
            rows={data.flows}
            columns={flowColumns(search, timeoutMinutes)}
            rowKey={(row) => row.flowId}
          />
          {data.flows.length >= data.limit ? (
            <p className={detail.note}>
              The newest {formatCount(data.limit)} flows; the link has {formatCount(link.flows)}.
            </p>
          ) : null}
        </>
      )}
    </QueryPanel>
  );
}
