'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDateTime } from '@/components/kit/format';
import kit from '@/components/kit/kit.module.css';
import { Badge, KeyValues, PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import type { AlertDelivery, AlertEvent, AlertRuleState, AlertSilence, AlertsResponse, FiringSeries } from '@/lib/contracts/alerts';
import { alertsKeys, alertsQuery, expireSilence, sendTestNotification } from '@/lib/client/alerts';
import styles from './alerts.module.css';
import { SilenceForm, writeErrorText } from './silence-form';

const STATE_TONE = { ok: 'good', firing: 'bad', silenced: 'warn', disabled: 'neutral' } as const;
const KIND_TONE = { firing: 'bad', resolved: 'good', test: 'neutral' } as const;

const settingsText = (settings: AlertRuleState['settings']) =>
  Object.entries(settings)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ');

type FiringRow = FiringSeries & { ruleId: string };

function RulesTable({ rules }: { rules: AlertRuleState[] }) {
  const columns: Array<Column<AlertRuleState>> = [
    { key: 'id', header: 'Rule', value: (row) => row.id, render: (row) => <strong>{row.id}</strong> },
    {
      key: 'state',
      header: 'State',
      value: (row) => row.state,
      render: (row) => (
        <span data-field="rule-state">
          <Badge tone={STATE_TONE[row.state]}>{row.state}</Badge>
          {row.firing.length > 0 ? ` ${row.firing.length} series` : ''}
        </span>
      ),
    },
    { key: 'severity', header: 'Severity', value: (row) => row.severity },
    {
      key: 'what',
      header: 'What',
      sortable: false,
      value: (row) => row.description,
      render: (row) => (
        <>
          {row.description}
          <div className={styles.small}>
            {settingsText(row.settings)} · cool-down {row.cooldownMinutes} min
          </div>
        </>
      ),
    },
  ];
  return <DataTable testId="alert-rules-table" rows={rules} columns={columns} rowKey={(row) => row.id} />;
}

function FiringTable({ rows, onSilence }: { rows: FiringRow[]; onSilence: (row: FiringRow) => void }) {
  const columns: Array<Column<FiringRow>> = [
    { key: 'rule', header: 'Rule', value: (row) => row.ruleId },
    {
      key: 'series',
      header: 'Series',
      value: (row) => row.seriesKey,
      render: (row) => <span className={styles.mono}>{row.seriesKey}</span>,
    },
    { key: 'since', header: 'Since', value: (row) => row.since, render: (row) => formatDateTime(row.since) },
    { key: 'summary', header: 'Now', sortable: false, value: (row) => row.summary },
    {
      key: 'notice',
      header: 'Notified',
      value: (row) => (row.silenced ? 'silenced' : row.notified ? 'yes' : 'held back'),
      render: (row) => (row.silenced ? <Badge tone="warn">silenced</Badge> : row.notified ? 'yes' : 'held back (cool-down)'),
    },
    {
      key: 'mute',
      header: '',
      sortable: false,
      value: () => null,
      render: (row) => (
        <button type="button" className={kit.button} onClick={() => onSilence(row)}>
          Mute…
        </button>
      ),
    },
  ];
  return <DataTable testId="alert-firing-table" rows={rows} columns={columns} rowKey={(row) => `${row.ruleId}|${row.seriesKey}`} />;
}

function SilencesTable({ silences }: { silences: AlertSilence[] }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: expireSilence,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKeys.all }),
  });
  const errorText = writeErrorText(mutation.error, 'Ending a silence');
  const columns: Array<Column<AlertSilence>> = [
    { key: 'rule', header: 'Rule', value: (row) => row.ruleId },
    { key: 'series', header: 'Series', value: (row) => row.seriesKey || 'whole rule' },
    { key: 'until', header: 'Until', value: (row) => row.until, render: (row) => formatDateTime(row.until) },
    { key: 'reason', header: 'Why', value: (row) => row.reason },
    { key: 'actor', header: 'By', value: (row) => row.actor },
    {
      key: 'active',
      header: 'State',
      value: (row) => (row.active ? 'active' : 'ended'),
      render: (row) =>
        row.active ? (
          <button type="button" className={kit.button} disabled={mutation.isPending} onClick={() => mutation.mutate(row.id)}>
            End now
          </button>
        ) : (
          <span className={styles.small}>
            {row.expiredAt ? `ended ${formatDateTime(row.expiredAt)} by ${row.expiredBy ?? '?'}` : 'over'}
          </span>
        ),
    },
  ];
  return (
    <>
      {errorText ? (
        <p className={styles.error} role="alert">
          {errorText}
        </p>
      ) : null}
      <DataTable testId="alert-silences-table" rows={silences} columns={columns} rowKey={(row) => row.id} emptyMessage="No silence yet." />
    </>
  );
}

const EVENT_COLUMNS: Array<Column<AlertEvent>> = [
  { key: 'at', header: 'When', value: (row) => row.at, render: (row) => formatDateTime(row.at) },
  { key: 'kind', header: 'Notice', value: (row) => row.kind, render: (row) => <Badge tone={KIND_TONE[row.kind]}>{row.kind}</Badge> },
  { key: 'rule', header: 'Rule', value: (row) => row.ruleId },
  { key: 'series', header: 'Series', value: (row) => row.seriesKey, render: (row) => <span className={styles.mono}>{row.seriesKey}</span> },
  { key: 'summary', header: 'Summary', sortable: false, value: (row) => row.summary },
];

const DELIVERY_COLUMNS: Array<Column<AlertDelivery>> = [
  { key: 'at', header: 'When', value: (row) => row.at, render: (row) => formatDateTime(row.at) },
  { key: 'rule', header: 'Rule', value: (row) => row.ruleId },
  { key: 'kind', header: 'Notice', value: (row) => row.kind },
  {
    key: 'target',
    header: 'Webhook',
    value: (row) => row.target,
    render: (row) => <span className={styles.mono}>{`${row.format} ${row.target}`}</span>,
  },
  {
    key: 'status',
    header: 'Result',
    value: (row) => row.status,
    render: (row) => <Badge tone={row.status === 'delivered' ? 'good' : 'bad'}>{row.status}</Badge>,
  },
  { key: 'attempts', header: 'Attempts', value: (row) => row.attempts, format: 'count' },
  { key: 'error', header: 'Error', value: (row) => row.error ?? (row.httpStatus !== null ? `HTTP ${row.httpStatus}` : null) },
];

function TestButton() {
  const mutation = useMutation({ mutationFn: sendTestNotification });
  const queryClient = useQueryClient();
  const errorText = writeErrorText(mutation.error, 'Sending a test notification');
  return (
    <span>
      <button
        type="button"
        className={kit.button}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate(undefined, { onSettled: () => queryClient.invalidateQueries({ queryKey: alertsKeys.all }) })}
      >
        {mutation.isPending ? 'Sending…' : 'Send a test notification'}
      </button>
      {errorText ? (
        <span className={styles.error} role="alert">
          {' '}
          {errorText}
        </span>
      ) : null}
      {mutation.data ? (
        <span className={styles.small} role="status" data-testid="test-result">
          {' '}
          {mutation.data.results.length === 0
            ? 'No webhook is configured (ALERT_WEBHOOK_URLS).'
            : mutation.data.results.map((result) => `${result.target}: ${result.status}`).join(' · ')}
        </span>
      ) : null}
    </span>
  );
}

function Summary({ data }: { data: AlertsResponse }) {
  const last = data.lastEvaluation;
  return (
    <KeyValues
      testId="alerts-summary"
      items={[
        {
          key: 'schedule',
          label: 'Schedule',
          value: data.enabled ? `every ${data.intervalSeconds} s (one instance per cluster)` : 'off in this instance (ALERTS=off)',
        },
        {
          key: 'last',
          label: 'Last evaluation here',
          value: last
            ? `${formatDateTime(last.at)}${last.evaluated ? '' : ' (another instance holds the lease)'}${last.error ? ` — ${last.error}` : ''}`
            : '—',
        },
        {
          key: 'webhooks',
          label: 'Webhooks',
          value:
            data.webhooks.length === 0
              ? 'none configured (ALERT_WEBHOOK_URLS)'
              : data.webhooks.map((w) => `${w.format} ${w.target}`).join(', '),
        },
        { key: 'signed', label: 'Signed', value: data.signed ? 'yes (HMAC-SHA256)' : 'no (ALERT_WEBHOOK_SECRET unset)' },
        { key: 'firing', label: 'Firing', value: String(data.rules.filter((rule) => rule.state === 'firing').length) },
      ]}
    />
  );
}

/** Alert rules and their state, silences, notifications and webhook deliveries (docs/alerts.md). */
export function AlertsView() {
  const query = useQuery(alertsQuery());
  const [preset, setPreset] = useState<{ ruleId: string; seriesKey: string } | null>(null);
  const firing = (data: AlertsResponse): FiringRow[] =>
    data.rules.flatMap((rule) => rule.firing.map((series) => ({ ...series, ruleId: rule.id })));
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Rules from the rollout config, evaluated on a schedule; notifications go to the configured webhooks, signed. Admins mute a rule or a series with a silence."
      />
      <PageGrid>
        <QueryPanel testId="alerts-overview" title="Evaluation and delivery" span="half" query={query} actions={<TestButton />}>
          {(data) => (
            <>
              {data.configError ? (
                <p className={styles.error} role="alert">
                  {data.configError}
                </p>
              ) : null}
              <Summary data={data} />
            </>
          )}
        </QueryPanel>
        <QueryPanel
          testId="alerts-silence"
          title="Mute an alert"
          span="half"
          query={query}
          isEmpty={(data) => data.rules.length === 0}
          emptyMessage="No rule to mute."
        >
          {(data) => <SilenceForm key={preset ? `${preset.ruleId}|${preset.seriesKey}` : 'none'} rules={data.rules} preset={preset} />}
        </QueryPanel>
        <QueryPanel
          testId="alerts-firing"
          title="Firing now"
          subtitle="Each series fires once per episode and notifies again only when it has resolved (and the cool-down has passed)."
          query={query}
          isEmpty={(data) => firing(data).length === 0}
          emptyMessage="Nothing fires."
        >
          {(data) => <FiringTable rows={firing(data)} onSilence={(row) => setPreset({ ruleId: row.ruleId, seriesKey: row.seriesKey })} />}
        </QueryPanel>
        <QueryPanel
          testId="alerts-rules"
          title="Rules"
          subtitle="From the rollout config's alerts section (defaults in docs/alerts.md)."
          query={query}
          isEmpty={(data) => data.rules.length === 0}
          emptyMessage="No rule is configured."
        >
          {(data) => <RulesTable rules={data.rules} />}
        </QueryPanel>
        <QueryPanel
          testId="alerts-silences"
          title="Silences"
          subtitle="Newest first; a muted series still fires and resolves, without notifying."
          query={query}
        >
          {(data) => <SilencesTable silences={data.silences} />}
        </QueryPanel>
        <QueryPanel
          testId="alerts-events"
          title="Notifications"
          subtitle="The newest 200: firing, resolved and test notices."
          query={query}
          isEmpty={(data) => data.events.length === 0}
          emptyMessage="No notification yet."
        >
          {(data) => <DataTable testId="alert-events-table" rows={data.events} columns={EVENT_COLUMNS} rowKey={(row) => row.id} />}
        </QueryPanel>
        <QueryPanel
          testId="alerts-deliveries"
          title="Delivery history"
          subtitle="One row per notification and webhook, after its retries."
          query={query}
          isEmpty={(data) => data.deliveries.length === 0}
          emptyMessage="Nothing delivered yet."
        >
          {(data) => (
            <DataTable testId="alert-deliveries-table" rows={data.deliveries} columns={DELIVERY_COLUMNS} rowKey={(row) => row.id} />
          )}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
