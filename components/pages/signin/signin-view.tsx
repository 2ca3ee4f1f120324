'use client';

import { useQuery } from '@tanstack/react-query';
import { BarChart, StackedBarChart } from '@/components/kit/charts/lazy';
import { usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { NEUTRAL_SERIES, TONE_COLORS } from '@/components/kit/charts/palette';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatCount, formatLabel, formatPercent } from '@/components/kit/format';
import { KeyValues, PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import { topNWithOther } from '@/components/kit/prepare/top-n';
import { Stat, StatGrid } from '@/components/kit/stat';
import type { CrossPlatformGap, FallbackMethodRow, FallbackReasonRow, PromptLatency, SigninDeviceClassRow } from '@/lib/contracts/signin';
import { signinQuery } from '@/lib/client/query-options';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { ShareSeriesPanel } from '../overview/share-series-panel';
import { FallbackCohortPanel } from './fallback-cohort-panel';
import { FallbackMethodsPanel } from './fallback-methods-panel';
import { FallbackWeeklyPanel } from './fallback-weekly-panel';
import styles from './signin.module.css';
import { AfterFirstRead } from '@/lib/client/first-read';

const DEVICE_COLUMNS: ReadonlyArray<Column<SigninDeviceClassRow>> = [
  { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
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
  { key: 'successRate', header: 'Success rate', value: (row) => row.successRate, format: 'percent' },
  { key: 'cancelRate', header: 'Cancel rate', value: (row) => row.cancelRate, format: 'percent' },
  { key: 'holderCeremonies', header: 'Holder ceremonies', value: (row) => row.holderCeremonies, format: 'count' },
  {
    key: 'holdersSuccessRate',
    header: 'Holders’ success',
    value: (row) => row.holdersSuccessRate,
    format: 'percent',
    title: 'Success rate of ceremonies by users holding a passkey at ceremony time',
  },
];

const FALLBACK_TOP = 8;

function fallbackColumns<Row extends { fallbacks: number; users: number }>(
  label: string,
  key: (row: Row) => string,
): ReadonlyArray<Column<Row>> {
  return [
    { key: 'name', header: label, value: (row) => formatLabel(key(row)) },
    { key: 'fallbacks', header: 'Fallbacks', value: (row) => row.fallbacks, format: 'count' },
    { key: 'users', header: 'Users', value: (row) => row.users, format: 'count' },
  ];
}
const METHOD_COLUMNS = fallbackColumns<FallbackMethodRow>('Method', (row) => row.method);
const REASON_COLUMNS = fallbackColumns<FallbackReasonRow>('Reason', (row) => row.reason);

function fallbackChartData<Row extends { fallbacks: number; users: number }>(rows: readonly Row[], label: (row: Row) => string) {
  return topNWithOther<Row, 'fallbacks' | 'users'>(rows, {
    n: FALLBACK_TOP,
    label: (row) => formatLabel(label(row)),
    values: { fallbacks: (row) => row.fallbacks, users: (row) => row.users },
    rankBy: 'fallbacks',
  }).map(
    // "users" of the folded row would double-count users seen in several groups: chart fallbacks only.
    (row) => ({ label: row.label, fallbacks: row.fallbacks }),
  );
}

const GAP_COLUMNS: ReadonlyArray<Column<CrossPlatformGap['pairs'][number]>> = [
  { key: 'credentialOs', header: 'Passkeys registered on', value: (row) => row.credentialOs },
  { key: 'signInOs', header: 'Signing in from', value: (row) => row.signInOs },
  { key: 'users', header: 'Users', value: (row) => row.users, format: 'count' },
];

const formatMs = (ms: number | null) => (ms === null ? '—' : `${formatCount(Math.round(ms))} ms`);

const LATENCY_COLUMNS: ReadonlyArray<Column<PromptLatency['rows'][number]>> = [
  { key: 'deviceClass', header: 'Device class', value: (row) => row.deviceClass },
  { key: 'mediation', header: 'Mediation', value: (row) => row.mediation, render: (row) => row.mediation || '—' },
  { key: 'outcome', header: 'Outcome', value: (row) => row.outcome, render: (row) => formatLabel(row.outcome || 'unknown') },
  { key: 'prompts', header: 'Prompts', value: (row) => row.prompts, format: 'count' },
  { key: 'p50Ms', header: 'p50', value: (row) => row.p50Ms, render: (row) => formatMs(row.p50Ms), align: 'right' },
  { key: 'p95Ms', header: 'p95', value: (row) => row.p95Ms, render: (row) => formatMs(row.p95Ms), align: 'right' },
];

export function SigninView() {
  usePreloadCharts(BarChart, StackedBarChart);
  const { from, to, tz, filters } = useGlobalParams();
  const params = { from, to, tz, filters };
  const signin = useQuery(signinQuery(params));

  return (
    <>
      <PageHeader
        title="Sign-in & fallback"
        description="How holders sign in: passkey success and share, where they fall back to other methods and why, and who relies on fallbacks."
      />
      <PageGrid>
        <QueryPanel
          query={signin}
          title="Sign-in with passkeys"
          subtitle="Success rate = successes / (successes + failures) of passkey authentication ceremonies; cancels apart"
          testId="panel-signin-headlines"
          isEmpty={(data) => data.totals.ceremonies === 0 && data.successfulSignIns === 0}
          emptyMessage="No sign-ins in this window."
        >
          {(data) => (
            <StatGrid>
              <Stat
                testId="signin-holders-success"
                label="Holders’ passkey success"
                kind="percent"
                value={data.holdersSuccessRate}
                hint={`${formatCount(data.holders.ceremonies)} ceremonies by holders`}
              />
              <Stat
                testId="signin-passkey-share"
                label="Passkey sign-in share"
                kind="percent"
                value={data.passkeySignInShare}
                hint={`${formatCount(data.passkeySignIns)} of ${formatCount(data.successfulSignIns)} sign-ins`}
              />
              <Stat
                testId="signin-ceremony-success"
                label="All passkey ceremonies: success"
                kind="percent"
                value={data.totals.successRate}
                hint={`${formatCount(data.totals.ceremonies)} ceremonies`}
              />
              <Stat
                testId="signin-cancel-rate"
                label="Cancel rate"
                kind="percent"
                value={data.totals.cancelRate}
                hint={`${formatCount(data.totals.cancellations)} cancelled`}
                good="down"
              />
              <Stat
                testId="signin-multi-device"
                label="Multi-device coverage"
                kind="percent"
                value={data.multiDeviceCoverage.coverage}
                hint="Active holders with ≥ 2 live passkeys"
              />
              <Stat
                testId="signin-cross-platform-gap"
                label="Cross-platform gap"
                kind="percent"
                value={data.crossPlatformGap.share}
                hint={`${formatCount(data.crossPlatformGap.users)} of ${formatCount(data.crossPlatformGap.activeHolders)} active holders`}
                good="down"
              />
            </StatGrid>
          )}
        </QueryPanel>

        <QueryPanel
          query={signin}
          span="half"
          title="Passkey ceremonies by device class"
          subtitle="Holders’ success rate per class"
          testId="panel-signin-device-classes"
          isEmpty={(data) => data.rows.length === 0}
          emptyMessage="No passkey authentication ceremonies in this window."
        >
          {(data) => (
            <BarChart
              data={data.rows}
              category="deviceClass"
              series={[
                { key: 'holdersSuccessRate', label: 'Holders’ success', color: TONE_COLORS.good },
                { key: 'cancelRate', label: 'Cancel rate', color: NEUTRAL_SERIES },
              ]}
              format="percent"
              orientation="horizontal"
              unitDomain
              height={Math.max(180, 50 + data.rows.length * 40)}
              label="Holders' passkey success and cancel rate by device class"
            />
          )}
        </QueryPanel>

        <ShareSeriesPanel
          query={signin}
          select={(data) => data.shareSeries}
          overall={(data) => data.passkeySignInShare}
          testId="panel-signin-share-series"
        />

        <QueryPanel
          query={signin}
          title="Per device class"
          testId="panel-signin-table"
          isEmpty={(data) => data.rows.length === 0}
          emptyMessage="No passkey authentication ceremonies in this window."
        >
          {(data) => (
            <DataTable
              testId="table-signin-device-classes"
              rows={data.rows}
              columns={DEVICE_COLUMNS}
              rowKey={(row) => row.deviceClass}
              initialSort={{ key: 'ceremonies', direction: 'descending' }}
            />
          )}
        </QueryPanel>

        <QueryPanel
          query={signin}
          title="Fallbacks"
          subtitle="auth.fallback events: the method users fell back to, and why"
          testId="panel-fallbacks"
          isEmpty={(data) => data.fallbackMethods.length === 0 && data.fallbackReasons.length === 0}
          emptyMessage="No fallbacks in this window."
        >
          {(data) => (
            <div className={styles.split}>
              <div>
                <div className={styles.subhead}>By method</div>
                <BarChart
                  data={fallbackChartData(data.fallbackMethods, (row) => row.method)}
                  category="label"
                  series={[{ key: 'fallbacks', label: 'Fallbacks' }]}
                  format="count"
                  orientation="horizontal"
                  height={Math.max(140, 40 + Math.min(data.fallbackMethods.length, FALLBACK_TOP + 1) * 30)}
                  label="Fallbacks by method"
                />
                <DataTable
                  testId="table-fallback-methods"
                  rows={data.fallbackMethods}
                  columns={METHOD_COLUMNS}
                  rowKey={(row) => row.method}
                  initialSort={{ key: 'fallbacks', direction: 'descending' }}
                />
              </div>
              <div>
                <div className={styles.subhead}>By reason</div>
                <BarChart
                  data={fallbackChartData(data.fallbackReasons, (row) => row.reason)}
                  category="label"
                  series={[{ key: 'fallbacks', label: 'Fallbacks', color: TONE_COLORS.warn }]}
                  format="count"
                  orientation="horizontal"
                  height={Math.max(140, 40 + Math.min(data.fallbackReasons.length, FALLBACK_TOP + 1) * 30)}
                  label="Fallbacks by reason"
                />
                <DataTable
                  testId="table-fallback-reasons"
                  rows={data.fallbackReasons}
                  columns={REASON_COLUMNS}
                  rowKey={(row) => row.reason}
                  initialSort={{ key: 'fallbacks', direction: 'descending' }}
                />
              </div>
            </div>
          )}
        </QueryPanel>

        <AfterFirstRead settled={!signin.isPending}>
          <FallbackCohortPanel params={params} />
          <FallbackWeeklyPanel params={params} />
          <FallbackMethodsPanel params={params} />
        </AfterFirstRead>

        <QueryPanel
          query={signin}
          title="Prompt latency"
          subtitle="How long the browser's passkey prompt stayed open (passkey.prompt.duration_ms): slow prompts are abandoned"
          testId="panel-prompt-latency"
          isEmpty={(data) => data.promptLatency.overall.prompts === 0 && data.promptLatency.rows.length === 0}
          emptyMessage="No prompt with a duration in this window (the SDK sends passkey.prompt.duration_ms)."
        >
          {(data) => (
            <>
              <KeyValues
                testId="prompt-latency-overall"
                items={[
                  { key: 'prompts', label: 'Prompts (engaged)', value: formatCount(data.promptLatency.overall.prompts) },
                  { key: 'p50', label: 'p50', value: formatMs(data.promptLatency.overall.p50Ms) },
                  { key: 'p95', label: 'p95', value: formatMs(data.promptLatency.overall.p95Ms) },
                ]}
              />
              <DataTable
                testId="table-prompt-latency"
                rows={data.promptLatency.rows.slice(0, 40)}
                columns={LATENCY_COLUMNS}
                rowKey={(row) => `${row.deviceClass}|${row.mediation}|${row.outcome}`}
              />
            </>
          )}
        </QueryPanel>

        <QueryPanel
          query={signin}
          title="Multi-device coverage and the cross-platform gap"
          subtitle="Holders with a single passkey, or with passkeys only on an OS they don't sign in from, are at risk of falling back"
          testId="panel-coverage"
          isEmpty={(data) => data.multiDeviceCoverage.activeHolders === 0}
          emptyMessage="No active passkey holders in this window."
        >
          {(data) => (
            <div className={styles.split}>
              <KeyValues
                testId="coverage-values"
                items={[
                  { key: 'activeHolders', label: 'Active holders', value: formatCount(data.multiDeviceCoverage.activeHolders) },
                  {
                    key: 'multiDeviceHolders',
                    label: 'With ≥ 2 live passkeys',
                    value: formatCount(data.multiDeviceCoverage.multiDeviceHolders),
                  },
                  { key: 'coverage', label: 'Multi-device coverage', value: formatPercent(data.multiDeviceCoverage.coverage) },
                  {
                    key: 'gapUsers',
                    label: 'Cross-platform gap',
                    value: `${formatCount(data.crossPlatformGap.users)} user${data.crossPlatformGap.users === 1 ? '' : 's'} (${formatPercent(data.crossPlatformGap.share)})`,
                  },
                ]}
              />
              <DataTable
                testId="table-cross-platform-gap"
                rows={data.crossPlatformGap.pairs}
                columns={GAP_COLUMNS}
                rowKey={(row) => `${row.credentialOs}→${row.signInOs}`}
                initialSort={{ key: 'users', direction: 'descending' }}
                emptyMessage="No holder is stuck on another platform."
              />
            </div>
          )}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
