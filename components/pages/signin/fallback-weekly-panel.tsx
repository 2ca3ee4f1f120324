'use client';

import { StackedBarChart } from '@/components/kit/charts/lazy';
import { seriesColor } from '@/components/kit/charts/palette';
import { annotationMarks } from '@/components/kit/prepare/annotation-marks';
import { formatDay } from '@/components/kit/format';
import { QueryPanel } from '@/components/kit/panel';
import { FALLBACK_COHORT_REASONS, type FallbackWeeklyResponse as FallbackWeekly } from '@/lib/contracts/cohorts';
import { useAnnotations } from '@/lib/client/annotations';
import { fallbackWeeklyQuery, type MetricsParams } from '@/lib/client/query-options';
import { COHORT_REASON_LABEL } from './fallback-cohort-panel';
import { useQueryAfterFirstRead } from '@/lib/client/first-read';

const SERIES = FALLBACK_COHORT_REASONS.map((reason, index) => ({
  key: reason,
  label: COHORT_REASON_LABEL[reason],
  color: seriesColor(index),
}));

const weekLabel = (week: FallbackWeekly['weeks'][number]) => `${formatDay(week.start)}${week.partial ? ' *' : ''}`;

/** Stage decisions and releases on the week they fall in (the weeks the window cuts are shorter). */
function weekMarks(annotations: ReturnType<typeof useAnnotations>, data: FallbackWeekly) {
  const marks = annotationMarks(
    annotations,
    data.weeks.map((week) => week.start),
    Date.parse(data.to),
  );
  const label = new Map(data.weeks.map((week) => [week.start, weekLabel(week)]));
  return marks.map((mark) => ({ ...mark, x: label.get(mark.x) ?? mark.x }));
}

/** The fallback-reliant cohort week by week, stacked by first-match reason: is it shrinking, and why not? */
export function FallbackWeeklyPanel({ params }: { params: MetricsParams }) {
  const query = useQueryAfterFirstRead(fallbackWeeklyQuery(params));
  const annotations = useAnnotations();
  return (
    <QueryPanel
      query={query}
      title="Fallback-reliant cohort by week"
      subtitle="Each UTC week as its own window (* a week the window cuts); users by first-match reason"
      testId="panel-fallback-weekly"
      isEmpty={(data: FallbackWeekly) => data.weeks.every((week) => week.activeUsers === 0)}
      emptyMessage="No active users in this window."
    >
      {(data) => (
        <StackedBarChart
          data={data.weeks.map((week) => ({ week: weekLabel(week), ...week.reasons }))}
          category="week"
          series={SERIES}
          format="count"
          label="Fallback-reliant users per week by reason"
          testId="fallback-weekly-chart"
          marks={weekMarks(annotations, data)}
        />
      )}
    </QueryPanel>
  );
}
