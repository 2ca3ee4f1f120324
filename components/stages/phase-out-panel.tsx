'use client';

import { useQuery } from '@tanstack/react-query';
import { TimeSeriesChart } from '@/components/kit/charts/lazy';
import { TONE_COLORS } from '@/components/kit/charts/palette';
import { DataTable, type Column } from '@/components/kit/data-table';
import { formatDay } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import type { PhaseOutResponse, PhaseOutWeek } from '@/lib/contracts/stage-phase-out';
import { annotationsQuery } from '@/lib/client/annotations';
import { emptyFilters } from '@/lib/client/global-params';
import { phaseOutQuery } from '@/lib/client/stages';
import styles from './stages.module.css';

const COLUMNS: ReadonlyArray<Column<PhaseOutWeek>> = [
  {
    key: 'start',
    header: 'Week from',
    value: (week) => week.start,
    render: (week) => `${formatDay(week.start)}${week.partial ? ' *' : ''}`,
  },
  {
    key: 'removals',
    header: 'Passwords removed',
    value: (week) => week.removals,
    format: 'count',
    title: 'auth.password.removed events in the week',
  },
  { key: 'usersRemoving', header: 'Users removing', value: (week) => week.usersRemoving, format: 'count' },
  { key: 'holders', header: 'Holders at its end', value: (week) => week.holders, format: 'count' },
  { key: 'holdersWithoutPassword', header: 'Without a password', value: (week) => week.holdersWithoutPassword, format: 'count' },
  { key: 'shareWithoutPassword', header: 'Share', value: (week) => week.shareWithoutPassword, format: 'percent' },
  { key: 'atRisk', header: 'At risk of lock-out', value: (week) => week.atRisk, format: 'count' },
  { key: 'atRiskShare', header: 'Share at risk', value: (week) => week.atRiskShare, format: 'percent' },
];

function PhaseOutContent({ data }: { data: PhaseOutResponse }) {
  const first = data.weeks[0];
  const annotations = useQuery({
    ...annotationsQuery({ from: first?.start ?? '', to: data.to, filters: emptyFilters() }),
    enabled: first !== undefined,
  }).data?.annotations;
  return (
    <>
      <TimeSeriesChart
        data={data.weeks}
        time="start"
        series={[
          { key: 'shareWithoutPassword', label: 'Holders without a password', color: TONE_COLORS.accent },
          { key: 'atRiskShare', label: 'Holders at risk of lock-out', color: TONE_COLORS.bad },
        ]}
        format="percent"
        unitDomain
        label="Share of passkey holders without a password and at risk of lock-out, per week"
        testId="phase-out-chart"
        annotations={annotations}
        lastBucketEnd={Date.parse(data.to)}
      />
      <DataTable testId="phase-out-table" rows={data.weeks} columns={COLUMNS} rowKey={(week) => week.start} />
      <p className={styles.historySummary}>* a week the window cuts. &quot;As of&quot; values are at the week&apos;s end.</p>
    </>
  );
}

/**
 * Stage 4 over time: is the password phase-out moving, and is the lock-out blast radius shrinking
 * as it does? Per UTC week, the removals, the holders without a password and the holders at risk.
 */
export function PhaseOutPanel({ to }: { to: string | null }) {
  const query = useQuery(phaseOutQuery(to));
  return (
    <QueryPanel
      query={query}
      testId="phase-out"
      title="Stage 4 over time: passwords removed and the blast radius"
      subtitle="Per UTC week: password removals; at its end, passkey holders without a password and those at risk of lock-out (no passkey sign-in in the 28 days before)."
    >
      {(data) => <PhaseOutContent data={data} />}
    </QueryPanel>
  );
}
