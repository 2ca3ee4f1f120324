'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { TimeSeriesChart } from '@/components/kit/charts/lazy';
import { usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { formatCount, formatPercent } from '@/components/kit/format';
import { PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import type { RetentionResponse } from '@/lib/contracts/retention';
import { retentionQuery } from '@/lib/client/retention';
import { useGlobalParams } from '@/lib/client/use-global-params';
import detail from '@/components/pages/recovery/detail.module.css';
import styles from './retention.module.css';
import {
  MEASURE_LABEL,
  parseMeasure,
  RETENTION_MEASURES,
  retentionCurves,
  shareOf,
  weekColumns,
  type RetentionMeasure,
} from './prepare-retention';

function Triangle({ data, measure }: { data: RetentionResponse; measure: RetentionMeasure }) {
  const columns = weekColumns(data);
  return (
    <div className={styles.scroll}>
      <table className={styles.triangle} data-testid="retention-triangle">
        <thead>
          <tr>
            <th scope="col">Cohort (week of first passkey)</th>
            <th scope="col">Users</th>
            {Array.from({ length: columns }, (_, offset) => (
              <th key={offset} scope="col">
                Week {offset}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.cohorts.map((cohort) => (
            <tr key={cohort.week} data-cohort={cohort.week}>
              <th scope="row">
                {cohort.week}
                {cohort.partial ? ' *' : ''}
              </th>
              <td className={styles.users}>{formatCount(cohort.users)}</td>
              {Array.from({ length: columns }, (_, offset) => {
                const week = cohort.weeks[offset];
                const share = week ? shareOf(week, measure) : null;
                return (
                  <td
                    key={offset}
                    data-offset={offset}
                    className={styles.cell}
                    // At most 66 % of the accent over the card, under the theme's own text colour: at
                    // least 5:1 contrast in both themes whatever the share (white text on the darker
                    // cells was under 4.5:1 in the light theme).
                    style={share === null ? undefined : { background: `rgba(36, 83, 214, ${(0.08 + share * 0.58).toFixed(3)})` }}
                    title={week ? `${week.start.slice(0, 10)}${week.partial ? ' (partial week)' : ''}` : undefined}
                  >
                    {week ? `${formatPercent(share)}${week.partial ? ' *' : ''}` : ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Curves({ data, measure }: { data: RetentionResponse; measure: RetentionMeasure }) {
  const curves = useMemo(() => retentionCurves(data, measure), [data, measure]);
  return (
    <TimeSeriesChart
      label={`${MEASURE_LABEL[measure]}, by weeks since registration`}
      data={curves.rows}
      time="label"
      series={curves.series}
      format="percent"
      unitDomain
      testId="retention-curves"
    />
  );
}

/** Do people keep using their passkeys? Registration cohorts by week and their passkey use since. */
export function RetentionView() {
  usePreloadCharts(TimeSeriesChart);
  const { from, to, tz, filters, pageSearch, setPageParam } = useGlobalParams();
  const measure = parseMeasure(pageSearch.get('measure'));
  const query = useQuery(retentionQuery({ from, to, tz, filters }));
  const isEmpty = (data: RetentionResponse) => data.cohorts.length === 0;
  const empty = 'No first passkey registration in this window: choose a longer one (90 days shows about 13 weekly cohorts).';
  const actions = (
    <div className={detail.segmented} role="group" aria-label="Measure" data-testid="retention-measure">
      {RETENTION_MEASURES.map((value) => (
        <button
          key={value}
          type="button"
          aria-pressed={measure === value}
          data-value={value}
          onClick={() => setPageParam('measure', value === 'passkey' ? null : value)}
        >
          {MEASURE_LABEL[value]}
        </button>
      ))}
    </div>
  );
  return (
    <>
      <PageHeader
        title="Passkey retention"
        description="Users by the week of their first passkey registration, and what they did in each week since: sign in with a passkey, sign in only by other methods, or have deleted every passkey."
      />
      <PageGrid>
        <QueryPanel
          testId="retention-triangle-panel"
          title="Cohorts"
          subtitle="Share of each cohort's users per week since registration (UTC weeks from Monday). * a partial week (the window cuts it)."
          actions={actions}
          query={query}
          isEmpty={isEmpty}
          emptyMessage={empty}
        >
          {(data) => <Triangle data={data} measure={measure} />}
        </QueryPanel>
        <QueryPanel
          testId="retention-curves-panel"
          title="Curves"
          subtitle="The newest eight cohorts, one line each (users in brackets)."
          query={query}
          isEmpty={isEmpty}
          emptyMessage={empty}
        >
          {(data) => <Curves data={data} measure={measure} />}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
