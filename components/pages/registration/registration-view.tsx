'use client';

import { useQuery } from '@tanstack/react-query';
import { BarChart, FunnelChart, StackedBarChart, TimeSeriesChart } from '@/components/kit/charts/lazy';
import { usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { NEUTRAL_SERIES, TONE_COLORS } from '@/components/kit/charts/palette';
import { useAnnotations } from '@/lib/client/annotations';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatLabel, formatPercent } from '@/components/kit/format';
import { KeyValues, PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import { fillTimeBuckets } from '@/components/kit/prepare/time-buckets';
import { SegmentedControl } from '@/components/kit/segmented-control';
import { Stat, StatGrid } from '@/components/kit/stat';
import {
  REGISTRATION_GROUP_BY,
  type CredentialKindSplit,
  type RegistrationGroupBy,
  type RegistrationResponse,
} from '@/lib/contracts/registration';
import { registrationGroupBy, registrationQuery } from '@/lib/client/query-options';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { CapabilitiesPanel } from './capabilities-panel';
import { AfterFirstRead } from '@/lib/client/first-read';

export const GROUP_BY_LABEL: Record<RegistrationGroupBy, string> = {
  deviceClass: 'Device class',
  os: 'OS',
  browser: 'Browser',
  provider: 'Provider',
  credentialKind: 'Credential kind',
  environment: 'Environment',
  service: 'Service',
  serviceVersion: 'Release',
};

const OUTCOME_SERIES = [
  { key: 'successes', label: 'Successes', color: TONE_COLORS.good },
  { key: 'failures', label: 'Failures', color: TONE_COLORS.bad },
  { key: 'cancellations', label: 'Cancellations', color: NEUTRAL_SERIES },
];

/** A group row of either response variant; device-class rows also carry the registration rate. */
type GroupRow = RegistrationResponse['rows'][number] & { activeUsers?: number; holders?: number; registrationRate?: number | null };

function groupColumns(groupBy: RegistrationGroupBy): Array<Column<GroupRow>> {
  const columns: Array<Column<GroupRow>> = [
    { key: 'key', header: GROUP_BY_LABEL[groupBy], value: (row) => formatLabel(row.key) },
    { key: 'ceremonies', header: 'Ceremonies', value: (row) => row.ceremonies, format: 'count' },
    { key: 'successes', header: 'Successes', value: (row) => row.successes, format: 'count' },
    { key: 'failures', header: 'Failures', value: (row) => row.failures, format: 'count' },
    {
      key: 'cancellations',
      header: 'Cancels',
      value: (row) => row.cancellations,
      format: 'count',
      title: 'Cancelled or abandoned prompts — not failures',
    },
    {
      key: 'successRate',
      header: 'Success rate',
      value: (row) => row.successRate,
      format: 'percent',
      title: 'successes / (successes + failures); cancels excluded',
    },
    { key: 'cancelRate', header: 'Cancel rate', value: (row) => row.cancelRate, format: 'percent', title: 'cancellations / ceremonies' },
  ];
  if (groupBy === 'deviceClass') {
    columns.push(
      { key: 'activeUsers', header: 'Active users', value: (row) => row.activeUsers ?? null, format: 'count' },
      { key: 'holders', header: 'Holders', value: (row) => row.holders ?? null, format: 'count' },
      { key: 'registrationRate', header: 'Registration rate', value: (row) => row.registrationRate ?? null, format: 'percent' },
    );
  }
  return columns;
}

const KIND_COLUMNS: ReadonlyArray<Column<CredentialKindSplit>> = [
  { key: 'credentialKind', header: 'Kind', value: (row) => formatLabel(row.credentialKind) },
  { key: 'ceremonies', header: 'Ceremonies', value: (row) => row.ceremonies, format: 'count' },
  { key: 'successes', header: 'Registered', value: (row) => row.successes, format: 'count' },
  { key: 'failures', header: 'Failures', value: (row) => row.failures, format: 'count' },
  { key: 'cancellations', header: 'Cancels', value: (row) => row.cancellations, format: 'count' },
  { key: 'successRate', header: 'Success rate', value: (row) => row.successRate, format: 'percent' },
  {
    key: 'liveCredentials',
    header: 'Live credentials',
    value: (row) => row.liveCredentials,
    format: 'count',
    title: 'Credentials of this kind live at the window end',
  },
];

export function RegistrationView() {
  usePreloadCharts(BarChart, FunnelChart, StackedBarChart, TimeSeriesChart);
  const { from, to, tz, filters, pageSearch, setPageParam } = useGlobalParams();
  const annotations = useAnnotations();
  const groupBy = registrationGroupBy(pageSearch);
  const registration = useQuery(registrationQuery({ from, to, tz, filters, groupBy }));
  const noCeremonies = (data: RegistrationResponse) => data.totals.ceremonies === 0;

  return (
    <>
      <PageHeader
        title="Registration"
        description="Passkey registration ceremonies: success per group, cancels apart from failures, synced vs device-bound, and the post-sign-in upsell."
      />
      <PageGrid>
        <QueryPanel
          query={registration}
          title="Registration ceremonies"
          subtitle="Success rate = successes / (successes + failures); a cancel is not a failure"
          testId="panel-registration-totals"
          isEmpty={noCeremonies}
          emptyMessage="No registration ceremonies in this window."
        >
          {(data) => (
            <StatGrid>
              <Stat testId="registration-ceremonies" label="Ceremonies" kind="count" value={data.totals.ceremonies} />
              <Stat testId="registration-successes" label="Successes" kind="count" value={data.totals.successes} />
              <Stat testId="registration-failures" label="Failures" kind="count" value={data.totals.failures} />
              <Stat testId="registration-cancellations" label="Cancellations" kind="count" value={data.totals.cancellations} />
              <Stat testId="registration-success-rate" label="Success rate" kind="percent" value={data.totals.successRate} />
              <Stat testId="registration-cancel-rate" label="Cancel rate" kind="percent" value={data.totals.cancelRate} />
            </StatGrid>
          )}
        </QueryPanel>

        <QueryPanel
          query={registration}
          title={`By ${GROUP_BY_LABEL[groupBy].toLowerCase()}`}
          subtitle={
            groupBy === 'deviceClass' ? 'Ceremonies, and the registration rate of active users on each class' : 'Ceremonies per group'
          }
          testId="panel-registration-groups"
          actions={
            <SegmentedControl
              label="Group by"
              testId="group-by"
              options={REGISTRATION_GROUP_BY.map((value) => ({ value, label: GROUP_BY_LABEL[value] }))}
              value={groupBy}
              onChange={(value) => setPageParam('groupBy', value === 'deviceClass' ? null : value)}
            />
          }
          isEmpty={(data) => data.rows.length === 0}
          emptyMessage="No registration ceremonies in this window."
        >
          {(data) => {
            const rows: GroupRow[] = data.rows;
            return (
              <>
                <StackedBarChart
                  data={rows.map((row) => ({ ...row, label: formatLabel(row.key) }))}
                  category="label"
                  series={OUTCOME_SERIES}
                  format="count"
                  orientation="horizontal"
                  height={Math.max(160, 50 + rows.length * 30)}
                  label={`Registration ceremony outcomes by ${GROUP_BY_LABEL[groupBy]}`}
                />
                <DataTable
                  testId="table-registration-groups"
                  rows={rows}
                  columns={groupColumns(data.groupBy)}
                  rowKey={(row) => row.key}
                  initialSort={{ key: 'ceremonies', direction: 'descending' }}
                />
              </>
            );
          }}
        </QueryPanel>

        <QueryPanel
          query={registration}
          span="two-thirds"
          title="Registrations over time"
          subtitle="Per UTC day; the success rate line has a gap on days without a decided ceremony"
          testId="panel-registration-series"
          isEmpty={noCeremonies}
          emptyMessage="No registration ceremonies in this window."
        >
          {(data) => {
            const days = fillTimeBuckets(data.series, {
              from: data.from,
              to: data.to,
              interval: 'day',
              time: (row) => row.day,
              counts: ['ceremonies', 'successes', 'failures', 'cancellations'],
              rates: ['successRate', 'cancelRate'],
            });
            return (
              <>
                <TimeSeriesChart
                  data={days}
                  series={OUTCOME_SERIES.map((s) => ({ ...s, stackId: 'outcomes' }))}
                  kind="area"
                  format="count"
                  height={220}
                  label="Registration ceremonies per day by outcome"
                  annotations={annotations}
                />
                <TimeSeriesChart
                  data={days}
                  series={[
                    { key: 'successRate', label: 'Success rate', color: TONE_COLORS.good },
                    { key: 'cancelRate', label: 'Cancel rate', color: NEUTRAL_SERIES },
                  ]}
                  format="percent"
                  unitDomain
                  height={180}
                  label="Registration success and cancel rate per day"
                  annotations={annotations}
                />
              </>
            );
          }}
        </QueryPanel>

        <QueryPanel
          query={registration}
          span="third"
          title="Upsell friction"
          subtitle="Post-sign-in upsell: shown → accepted → registered"
          testId="panel-upsell"
          isEmpty={(data) => data.upsell.shown === 0 && data.upsell.registrationCeremonies === 0}
          emptyMessage="The upsell was not shown in this window."
        >
          {(data) => (
            <>
              <FunnelChart
                label="Upsell funnel"
                testId="upsell-funnel"
                steps={[
                  { label: 'Shown', value: data.upsell.shown },
                  { label: 'Accepted', value: data.upsell.accepted },
                  { label: 'Registered', value: data.upsell.registrationSuccesses },
                ]}
              />
              <KeyValues
                testId="upsell-values"
                items={[
                  { key: 'acceptanceRate', label: 'Acceptance rate', value: formatPercent(data.upsell.acceptanceRate) },
                  {
                    key: 'dismissed',
                    label: 'Dismissed',
                    value: `${formatCount(data.upsell.dismissed)} (${formatPercent(data.upsell.dismissalRate)})`,
                  },
                  { key: 'registrationCeremonies', label: 'Upsell ceremonies', value: formatCount(data.upsell.registrationCeremonies) },
                  {
                    key: 'registrationSuccessRate',
                    label: 'Ceremony success rate',
                    value: formatPercent(data.upsell.registrationSuccessRate),
                  },
                ]}
              />
            </>
          )}
        </QueryPanel>

        <QueryPanel
          query={registration}
          title="Synced vs device-bound"
          subtitle="Registration ceremonies by the kind of credential they produced, and credentials of each kind live at the window end"
          testId="panel-credential-kinds"
          isEmpty={(data) => data.credentialKinds.every((row) => row.ceremonies === 0 && row.liveCredentials === 0)}
          emptyMessage="No registrations and no live credentials."
        >
          {(data) => (
            <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 2fr)', gap: 16, alignItems: 'center' }}>
              <BarChart
                data={data.credentialKinds.map((row) => ({ ...row, label: formatLabel(row.credentialKind) }))}
                category="label"
                series={[
                  { key: 'successes', label: 'Registered in window' },
                  { key: 'liveCredentials', label: 'Live at window end' },
                ]}
                format="count"
                height={200}
                label="Synced vs device-bound credentials"
              />
              <DataTable
                testId="table-credential-kinds"
                rows={data.credentialKinds}
                columns={KIND_COLUMNS}
                rowKey={(row) => row.credentialKind}
              />
            </div>
          )}
        </QueryPanel>
        <AfterFirstRead settled={!registration.isPending}>
          <CapabilitiesPanel params={{ from, to, tz, filters }} />
        </AfterFirstRead>
      </PageGrid>
    </>
  );
}
