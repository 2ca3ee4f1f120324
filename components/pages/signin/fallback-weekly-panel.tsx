'use client';

import { useQuery } from '@tanstack/react-query';
import { StackedBarChart } from '@/components/kit/charts/lazy';
import { seriesColor } from '@/components/kit/charts/palette';
import { formatDay } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import { FALLBACK_COHORT_REASONS, type FallbackWeeklyResponse } from '@/lib/contracts/cohorts';
import { fallbackWeeklyQuery, type MetricsParams } from '@/lib/client/query-options';
import { COHORT_REASON_LABEL } from './fallback-cohort-panel';

const SERIES = FALLBACK_COHORT_REASONS.map((reason, index) => ({
  key: reason,
  label: COHORT_REASON_LABEL[reason],
  color: seriesColor(index),
}));

/** The fallback-reliant cohort week by week, stacked by first-match reason: is it shrinking, and why not? */
export function FallbackWeeklyPanel({ params }: { params: MetricsParams }) {
  const query = useQuery(fallbackWeeklyQuery(params));
  return (
    <QueryPanel
      query={query}
      title="Fallback-reliant cohort by week"
      subtitle="Each UTC week as its own window (* a week the window cuts); users by first-match reason"
      testId="panel-fallback-weekly"
      isEmpty={(data: FallbackWeeklyResponse) => data.weeks.every((week) => week.activeUsers === 0)}
      emptyMessage="No active users in this window."
    >
      {(data) => (
        <StackedBarChart
          data={data.weeks.map((week) => ({ week: `${formatDay(week.start)}${week.partial ? ' *' : ''}`, ...week.reasons }))}
          category="week"
          series={SERIES}
          format="count"
          label="Fallback-reliant users per week by reason"
          testId="fallback-weekly-chart"
        />
      )}
    </QueryPanel>
  );
}
