'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatDateTime } from '@/components/kit/format';
import { Badge, PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import type { OriginMismatchRow, RecoveryNewDeviceItem, SecurityEvent } from '@/lib/contracts/security';
import { securityQuery } from '@/lib/client/security';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { lookupHref } from '@/components/pages/lookup/prepare-lookup';
import { toSignalRows, type SignalRow } from './prepare-security';
import { plural } from '@/components/pages/recovery/plural';
import styles from '@/components/pages/recovery/detail.module.css';

const userLink = (userId: string) => (
  <Link className={styles.mono} href={lookupHref('userId', userId)}>
    {userId}
  </Link>
);
const ceremonyLink = (ceremonyId: string) =>
  ceremonyId ? (
    <Link className={styles.mono} href={lookupHref('ceremonyId', ceremonyId)} data-link="ceremony">
      {ceremonyId}
    </Link>
  ) : (
    '—'
  );

const ORIGIN_COLUMNS: Array<Column<OriginMismatchRow>> = [
  {
    key: 'origin',
    header: 'Origin',
    value: (row) => row.origin,
    render: (row) => <span className={styles.mono}>{row.origin || '(none)'}</span>,
  },
  { key: 'rpIds', header: 'Claimed RP IDs', value: (row) => row.rpIds.join(', ') },
  { key: 'originMismatches', header: 'Origin mismatches', value: (row) => row.originMismatches, format: 'count' },
  { key: 'rpIdMismatches', header: 'RP ID mismatches', value: (row) => row.rpIdMismatches, format: 'count' },
  { key: 'events', header: 'Events', value: (row) => row.events, format: 'count' },
  { key: 'users', header: 'Users', value: (row) => row.users, format: 'count' },
];

const EVENT_COLUMNS: Array<Column<SecurityEvent>> = [
  { key: 'timestamp', header: 'Time (UTC)', value: (row) => row.timestamp, render: (row) => formatDateTime(row.timestamp) },
  { key: 'eventName', header: 'Event', value: (row) => row.eventName },
  { key: 'userId', header: 'User', value: (row) => row.userId, render: (row) => userLink(row.userId) },
  { key: 'ceremonyId', header: 'Ceremony', value: (row) => row.ceremonyId, render: (row) => ceremonyLink(row.ceremonyId) },
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
  { key: 'result', header: 'Result', value: (row) => [row.result, row.failureReason].filter(Boolean).join(' · ') },
  { key: 'origin', header: 'Origin / RP ID', value: (row) => [row.origin, row.rpId].filter(Boolean).join(' / ') },
];

const NEW_DEVICE_COLUMNS: Array<Column<RecoveryNewDeviceItem>> = [
  { key: 'userId', header: 'User', value: (row) => row.userId, render: (row) => userLink(row.userId) },
  { key: 'recoveryAt', header: 'Recovery started (UTC)', value: (row) => row.recoveryAt, render: (row) => formatDateTime(row.recoveryAt) },
  {
    key: 'recoveryMethod',
    header: 'Method',
    value: (row) => row.recoveryMethod,
    render: (row) => <Badge tone="warn">{row.recoveryMethod.replaceAll('_', ' ')}</Badge>,
  },
  {
    key: 'recoveryFlowId',
    header: 'Recovery flow',
    value: (row) => row.recoveryFlowId,
    render: (row) =>
      row.recoveryFlowId ? (
        <Link className={styles.mono} href={lookupHref('flowId', row.recoveryFlowId)}>
          {row.recoveryFlowId}
        </Link>
      ) : (
        '—'
      ),
  },
  {
    key: 'registrationAt',
    header: 'New passkey (UTC)',
    value: (row) => row.registrationAt,
    render: (row) => formatDateTime(row.registrationAt),
  },
  { key: 'deviceClass', header: 'New device class', value: (row) => row.deviceClass },
  { key: 'ceremonyId', header: 'Registration', value: (row) => row.ceremonyId, render: (row) => ceremonyLink(row.ceremonyId) },
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

export function SecurityView() {
  const { from, to, tz, filters } = useGlobalParams();
  const query = useQuery(securityQuery({ from, to, tz, filters }));
  const [open, setOpen] = useState<string | null>(null);

  const signalColumns: Array<Column<SignalRow>> = [
    { key: 'label', header: 'Signal', value: (row) => row.label, render: (row) => <span title={row.meaning}>{row.label}</span> },
    { key: 'events', header: 'Events', value: (row) => row.events, format: 'count' },
    { key: 'ceremonies', header: 'Ceremonies', value: (row) => row.ceremonies, format: 'count' },
    { key: 'users', header: 'Users', value: (row) => row.users, format: 'count' },
    { key: 'meaning', header: 'What it means', value: (row) => row.meaning, sortable: false },
    {
      key: 'show',
      header: '',
      sortable: false,
      value: () => null,
      render: (row) =>
        row.events > 0 ? (
          <button
            type="button"
            className={styles.linkButton}
            aria-expanded={open === row.signal}
            data-action="show-signal"
            onClick={() => setOpen(open === row.signal ? null : row.signal)}
          >
            {open === row.signal ? 'Hide' : 'Affected'}
          </button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title="Security"
        description="Verification signals from the server and phishable recoveries followed by a passkey from a new device."
      />
      <PageGrid>
        <QueryPanel
          testId="security-signals"
          title="Verification signals"
          subtitle="Server registration and authentication events in the window with each signal."
          query={query}
        >
          {(data) => {
            const rows = toSignalRows(data.signals);
            const selected = rows.find((row) => row.signal === open);
            return (
              <>
                <DataTable
                  testId="security-signals-table"
                  rows={rows}
                  columns={signalColumns}
                  rowKey={(row) => row.signal}
                  isSelected={(row) => row.signal === open}
                />
                {selected ? (
                  <div className={styles.subPanel} data-panel="signal-events" data-signal={selected.signal}>
                    <h3 className={styles.subTitle}>
                      {selected.label}: newest {formatCount(selected.items.length)} of {plural(selected.events, 'event', 'events')}
                    </h3>
                    <DataTable
                      testId="signal-events-table"
                      rows={selected.items}
                      columns={EVENT_COLUMNS}
                      rowKey={(row) => `${row.timestamp}|${row.ceremonyId}|${row.userId}|${row.eventName}`}
                    />
                  </div>
                ) : null}
              </>
            );
          }}
        </QueryPanel>
        <QueryPanel
          testId="security-origins"
          title="Origin and RP ID mismatches by origin"
          subtitle="Where assertions for another origin or RP ID came from — a phishing proxy shows up here."
          query={query}
          isEmpty={(data) => data.originMismatchesByOrigin.length === 0}
          emptyMessage="No origin or RP ID mismatch in this window."
        >
          {(data) => (
            <DataTable
              testId="security-origins-table"
              rows={data.originMismatchesByOrigin}
              columns={ORIGIN_COLUMNS}
              rowKey={(row) => row.origin}
            />
          )}
        </QueryPanel>
        <QueryPanel
          testId="security-recovery-new-device"
          title="Phishable recovery, then a passkey from a new device class"
          subtitle="A phishable recovery followed within 24 h by a passkey from a device class the user had never used before the recovery."
          query={query}
          isEmpty={(data) => data.phishableRecoveryNewDevice.recoveries === 0}
          emptyMessage="No phishable recovery was followed by a passkey from a new device class."
        >
          {(data) => (
            <>
              <p className={styles.note}>
                Recoveries <strong data-field="recoveries">{formatCount(data.phishableRecoveryNewDevice.recoveries)}</strong> · new passkeys{' '}
                <strong data-field="registrations">{formatCount(data.phishableRecoveryNewDevice.registrations)}</strong> · users{' '}
                <strong data-field="users">{formatCount(data.phishableRecoveryNewDevice.users)}</strong>
              </p>
              <DataTable
                testId="security-new-device-table"
                rows={data.phishableRecoveryNewDevice.items}
                columns={NEW_DEVICE_COLUMNS}
                rowKey={(row) => `${row.recoveryFlowId}|${row.ceremonyId}|${row.userId}`}
              />
            </>
          )}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
