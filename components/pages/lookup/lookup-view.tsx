'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDateTime, formatWindow } from '@/components/kit/format';
import { Badge, PageGrid, PageHeader } from '@/components/kit/layout';
import { Panel, QueryPanel } from '@/components/kit/panel';
import type { CredentialState, EventRow } from '@/lib/contracts/events';
import { subjectEventsQuery } from '@/lib/client/events';
import {
  emptyMessage,
  eventOutcome,
  eventSide,
  groupTimeline,
  lookupHref,
  lookupWindow,
  SUBJECT_LABEL,
  SUBJECT_TYPES,
  subjectFromParams,
  type Subject,
  type SubjectType,
} from './prepare-lookup';
import detail from '@/components/pages/recovery/detail.module.css';
import { eventDetailRows } from './event-detail';
import styles from './lookup.module.css';

const CREDENTIAL_COLUMNS: Array<Column<CredentialState>> = [
  {
    key: 'credentialId',
    header: 'Credential',
    value: (row) => row.credentialId,
    render: (row) => (
      <Link className={detail.mono} href={lookupHref('credentialId', row.credentialId)}>
        {row.credentialId}
      </Link>
    ),
  },
  {
    key: 'state',
    header: 'State',
    value: (row) => (row.deleted ? 'deleted' : 'live'),
    render: (row) => (row.deleted ? <Badge tone="bad">deleted</Badge> : <Badge tone="good">live</Badge>),
  },
  { key: 'registeredAt', header: 'Registered (UTC)', value: (row) => row.registeredAt, render: (row) => formatDateTime(row.registeredAt) },
  { key: 'deletedAt', header: 'Deleted (UTC)', value: (row) => row.deletedAt, render: (row) => formatDateTime(row.deletedAt) },
  { key: 'lastUsedAt', header: 'Last used (UTC)', value: (row) => row.lastUsedAt, render: (row) => formatDateTime(row.lastUsedAt) },
  { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
  { key: 'credentialKind', header: 'Kind', value: (row) => row.credentialKind },
  { key: 'providerName', header: 'Provider', value: (row) => row.providerName },
  {
    key: 'userId',
    header: 'User',
    value: (row) => row.userId,
    render: (row) => (
      <Link className={detail.mono} href={lookupHref('userId', row.userId)}>
        {row.userId}
      </Link>
    ),
  },
];

function SearchForm({ subject, onSearch }: { subject: Subject | null; onSearch: (type: SubjectType, value: string) => void }) {
  const [type, setType] = useState<SubjectType>(subject?.type ?? 'userId');
  const [value, setValue] = useState(subject?.value ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onSearch(type, value.trim());
  };
  return (
    <form className={styles.search} onSubmit={submit} role="search" aria-label="Look up a subject">
      <label className={detail.label}>
        Search by
        <select
          className={detail.select}
          value={type}
          onChange={(event) => setType(event.target.value as SubjectType)}
          aria-label="Subject type"
        >
          {SUBJECT_TYPES.map((option) => (
            <option key={option} value={option}>
              {SUBJECT_LABEL[option]}
            </option>
          ))}
        </select>
      </label>
      <input
        className={styles.input}
        type="search"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        placeholder={`Paste a ${SUBJECT_LABEL[type]}…`}
        aria-label="Subject id"
        spellCheck={false}
      />
      <button type="submit" className={styles.submit}>
        Look up
      </button>
    </form>
  );
}

function EventDetail({ event, traceUrlTemplate }: { event: EventRow; traceUrlTemplate: string | null }) {
  return (
    <details className={styles.detail} data-field="detail">
      <summary>Everything it carries</summary>
      <dl>
        {eventDetailRows(event, traceUrlTemplate).map((row) => (
          <div key={row.label} data-detail={row.label}>
            <dt>{row.label}</dt>
            <dd className={detail.mono}>
              {row.href ? (
                <a href={row.href} target="_blank" rel="noreferrer">
                  {row.value}
                </a>
              ) : (
                row.value
              )}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function EventLine({ event, traceUrlTemplate }: { event: EventRow; traceUrlTemplate: string | null }) {
  const side = eventSide(event);
  const failed = event.result === 'failure' || event.promptOutcome === 'error' || event.recoveryStage === 'failed';
  return (
    <li className={styles.event} data-event={event.eventName} data-side={side ?? undefined}>
      <time className={styles.time} dateTime={event.timestamp}>
        {formatDateTime(event.timestamp)}
      </time>
      <span className={styles.eventName}>
        {side ? <Badge tone="neutral">{side}</Badge> : null} {event.eventName}
      </span>
      <span className={styles.cell} data-field="deviceClass">
        {event.deviceClass || '—'}
      </span>
      <span className={`${styles.cell} ${detail.mono}`} data-field="credentialId">
        {event.credentialId ? <Link href={lookupHref('credentialId', event.credentialId)}>{event.credentialId}</Link> : '—'}
      </span>
      <span className={failed ? styles.bad : styles.cell} data-field="outcome">
        {eventOutcome(event)}
      </span>
      <EventDetail event={event} traceUrlTemplate={traceUrlTemplate} />
    </li>
  );
}

function Timeline({ events, traceUrlTemplate }: { events: EventRow[]; traceUrlTemplate: string | null }) {
  return (
    <ol className={styles.timeline} data-testid="lookup-timeline">
      {groupTimeline(events).map((entry, index) =>
        entry.ceremonyId ? (
          <li key={`c:${entry.ceremonyId}`} className={styles.ceremony} data-ceremony={entry.ceremonyId}>
            <div className={styles.ceremonyHeader}>
              Ceremony{' '}
              <Link className={detail.mono} href={lookupHref('ceremonyId', entry.ceremonyId)}>
                {entry.ceremonyId}
              </Link>
              {entry.events[0]?.ceremonyType ? <span className={detail.label}> · {entry.events[0].ceremonyType}</span> : null}
            </div>
            <ul className={styles.events}>
              {entry.events.map((event, i) => (
                <EventLine key={i} event={event} traceUrlTemplate={traceUrlTemplate} />
              ))}
            </ul>
          </li>
        ) : (
          <li key={`e:${index}`} className={styles.single}>
            <ul className={styles.events}>
              <EventLine event={entry.events[0]!} traceUrlTemplate={traceUrlTemplate} />
            </ul>
          </li>
        ),
      )}
    </ol>
  );
}

export function LookupView() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const subject = subjectFromParams(searchParams);
  // The window is fixed when the subject changes, so the query key is stable while the page is open.
  const [now] = useState(() => Date.now());
  const range = lookupWindow(searchParams, now);
  const query = useQuery({
    ...subjectEventsQuery({ type: subject?.type ?? 'userId', value: subject?.value ?? '', from: range.from, to: range.to }),
    enabled: subject !== null,
  });

  const search = (type: SubjectType, value: string) => {
    const next = new URLSearchParams();
    for (const key of ['from', 'to']) {
      const kept = searchParams.get(key);
      if (kept) next.set(key, kept);
    }
    next.set(type, value);
    router.push(`${pathname}?${next.toString()}`);
  };

  const showCredentials = subject?.type === 'userId' || subject?.type === 'credentialId';
  return (
    <>
      <PageHeader
        title="Lookup"
        description="Every event of one user, credential, flow, ceremony or trace — the browser prompt and the server verification side by side."
      />
      <PageGrid>
        <Panel testId="lookup-search" title="Find a subject">
          <SearchForm key={subject ? `${subject.type}:${subject.value}` : 'none'} subject={subject} onSearch={search} />
          {/* One string: the server's clock and the browser's differ (React keeps the server's text until the next render). */}
          <p className={detail.note} suppressHydrationWarning>
            {`Window: ${formatWindow(range.from, range.to)} (${range.days} days).`}
          </p>
        </Panel>
        {subject === null ? (
          <Panel
            testId="lookup-timeline-panel"
            title="Timeline"
            state={{ status: 'empty', message: 'Enter an id above to see its events.' }}
          />
        ) : (
          <>
            <QueryPanel
              testId="lookup-timeline-panel"
              title={`Timeline of ${SUBJECT_LABEL[subject.type]} ${subject.value}`}
              subtitle="Newest first; events of one ceremony are grouped."
              query={query}
              isEmpty={(data) => data.events.length === 0}
              emptyMessage={emptyMessage(subject, range.days)}
            >
              {(data) => (
                <>
                  <Timeline events={data.events} traceUrlTemplate={data.traceUrlTemplate} />
                  {data.events.length >= data.limit ? <p className={detail.note}>Showing the newest {data.limit} events.</p> : null}
                </>
              )}
            </QueryPanel>
            {showCredentials ? (
              <QueryPanel
                testId="lookup-credentials"
                title="Credentials"
                subtitle="From each credential's full history, not only the window."
                query={query}
                isEmpty={(data) => data.credentials.length === 0}
                emptyMessage={`No credential known for ${SUBJECT_LABEL[subject.type]} ${subject.value}.`}
              >
                {(data) => (
                  <DataTable
                    testId="lookup-credentials-table"
                    rows={data.credentials}
                    columns={CREDENTIAL_COLUMNS}
                    rowKey={(row) => row.credentialId}
                  />
                )}
              </QueryPanel>
            ) : null}
          </>
        )}
      </PageGrid>
    </>
  );
}
