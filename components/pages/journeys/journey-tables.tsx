'use client';

import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatLabel } from '@/components/kit/format';
import type { JourneyPath, JourneysResponse, TimeToSignIn, UpsellExposuresResponse } from '@/lib/contracts/journeys';
import detail from '@/components/pages/recovery/detail.module.css';
import { formatDuration, KIND_NOUN, orderTimeToSignIn, pathLabel, stateLabel } from './prepare-journeys';
import styles from './journeys.module.css';

const Duration = ({ ms }: { ms: number }) => <span className={styles.nowrap}>{formatDuration(ms)}</span>;

const PATH_COLUMNS: ReadonlyArray<Column<JourneyPath>> = [
  {
    key: 'path',
    header: 'Path',
    value: (row) => pathLabel(row.path),
    render: (row) => <span className={styles.path}>{pathLabel(row.path)}</span>,
    sortable: false,
  },
  { key: 'flows', header: 'Flows', value: (row) => row.flows, format: 'count' },
  { key: 'share', header: 'Share', value: (row) => row.share, format: 'percent', title: 'Of the finished flows' },
  { key: 'endState', header: 'End state', value: (row) => row.endState, render: (row) => stateLabel(row.endState) },
  {
    key: 'medianMs',
    header: 'Median',
    value: (row) => row.medianMs,
    render: (row) => <Duration ms={row.medianMs} />,
    align: 'right',
    title: 'From the first event to the terminal one',
  },
  { key: 'p90Ms', header: 'p90', value: (row) => row.p90Ms, render: (row) => <Duration ms={row.p90Ms} />, align: 'right' },
];

/** The most frequent paths, with the in-progress flows and the timeout noted under them. */
export function TopPaths({ data }: { data: JourneysResponse }) {
  const noun = KIND_NOUN[data.kind];
  return (
    <>
      <DataTable testId="journey-paths" rows={data.paths} columns={PATH_COLUMNS} rowKey={(row) => row.path.join('>')} />
      <p className={detail.note} data-testid="journey-paths-note">
        {data.otherPaths.paths > 0
          ? `${formatCount(data.otherPaths.paths)} more paths hold ${formatCount(data.otherPaths.flows)} flows (in the diagram). `
          : ''}
        {formatCount(data.inProgress)} {noun} {data.inProgress === 1 ? 'flow is' : 'flows are'} still in progress, not counted here. Events
        count within {formatTimeout(data.timeoutMinutes)} of a flow&apos;s first; a flow with no terminal event by then is abandoned.
      </p>
    </>
  );
}

function formatTimeout(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} ${minutes === 60 ? 'hour' : 'hours'}` : `${minutes} minutes`;
}

type EndStateRow = JourneysResponse['endStates'][number];
const END_STATE_COLUMNS: ReadonlyArray<Column<EndStateRow>> = [
  { key: 'state', header: 'End state', value: (row) => stateLabel(row.state) },
  { key: 'flows', header: 'Flows', value: (row) => row.flows, format: 'count' },
  { key: 'share', header: 'Share', value: (row) => row.share, format: 'percent' },
];

/** How the finished flows ended. */
export function EndStates({ data }: { data: JourneysResponse }) {
  return (
    <>
      <DataTable testId="journey-end-states" rows={data.endStates} columns={END_STATE_COLUMNS} rowKey={(row) => row.state} />
      <p className={detail.note}>
        {formatCount(data.flows)} finished {data.flows === 1 ? 'flow' : 'flows'}; {formatCount(data.inProgress)} in progress.
      </p>
    </>
  );
}

const TIME_COLUMNS: ReadonlyArray<Column<TimeToSignIn>> = [
  { key: 'method', header: 'Method', value: (row) => formatLabel(row.method) || 'unknown' },
  {
    key: 'deviceClass',
    header: 'Device class',
    value: (row) => row.deviceClass ?? 'all',
    render: (row) => (row.deviceClass === null ? <strong>all</strong> : row.deviceClass),
  },
  { key: 'flows', header: 'Flows', value: (row) => row.flows, format: 'count' },
  { key: 'p25Ms', header: 'p25', value: (row) => row.p25Ms, render: (row) => <Duration ms={row.p25Ms} />, align: 'right' },
  { key: 'medianMs', header: 'Median', value: (row) => row.medianMs, render: (row) => <Duration ms={row.medianMs} />, align: 'right' },
  { key: 'p90Ms', header: 'p90', value: (row) => row.p90Ms, render: (row) => <Duration ms={row.p90Ms} />, align: 'right' },
];

/** Successful sign-ins by the method that succeeded: every device class first, then each. */
export function TimeToSignInTable({ rows }: { rows: readonly TimeToSignIn[] }) {
  return (
    <DataTable
      testId="time-to-sign-in"
      rows={orderTimeToSignIn(rows)}
      columns={TIME_COLUMNS}
      rowKey={(row) => `${row.method}|${row.deviceClass ?? 'all'}`}
    />
  );
}

type ExposureRow = UpsellExposuresResponse['exposures'][number];
const EXPOSURE_COLUMNS: ReadonlyArray<Column<ExposureRow>> = [
  { key: 'label', header: 'Exposure', value: (row) => row.label, sortable: false },
  { key: 'shown', header: 'Shown', value: (row) => row.shown, format: 'count' },
  { key: 'acceptedShare', header: 'Accepted', value: (row) => row.acceptedShare, format: 'percent', title: 'accepted ÷ shown' },
  {
    key: 'registeredShare',
    header: 'Registered',
    value: (row) => row.registeredShare,
    format: 'percent',
    title: 'followed by a passkey registration ÷ shown',
  },
];

/** The post-sign-in upsell's conversion by how many times the user had been asked. */
export function UpsellExposures({ data }: { data: UpsellExposuresResponse }) {
  return <DataTable testId="upsell-exposures" rows={data.exposures} columns={EXPOSURE_COLUMNS} rowKey={(row) => String(row.exposure)} />;
}
