'use client';

import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { annotationLines } from '@/components/kit/charts/annotation-lines';
import kit from '@/components/kit/kit.module.css';
import { annotationMarks, type AnnotationMark } from '@/components/kit/prepare/annotation-marks';
import { Panel } from '@/components/kit/panel';
import { formatTimeTick } from '@/components/kit/charts/series';
import { AXIS_TICK, GRID_STROKE } from '@/components/kit/charts/palette';
import type { Annotation } from '@/lib/contracts/annotations';
import type { HistoryCriterionInfo, HistoryTransition, StageHistoryResponse } from '@/lib/contracts/stage-history';
import { annotationsQuery } from '@/lib/client/annotations';
import { emptyFilters } from '@/lib/client/global-params';
import { stageHistoryQuery } from '@/lib/client/stages';
import { formatThreshold, formatValue, STATUS_LABEL } from './prepare';
import { criterionSeries, historySummary, verdictCells, type CriterionHistoryDatum } from './prepare-history';
import styles from './stages.module.css';

const DAY_MS = 86_400_000;
const NO_ANNOTATIONS: readonly Annotation[] = [];

/**
 * Stage decisions and releases over the history's days (GET /api/v1/annotations for [first day, last
 * day + 1)); the charts draw without them while they load or if they fail.
 */
function useHistoryAnnotations(data: StageHistoryResponse | undefined): readonly Annotation[] {
  const window = data
    ? { from: `${data.firstDay}T00:00:00.000Z`, to: new Date(Date.parse(`${data.lastDay}T00:00:00Z`) + DAY_MS).toISOString() }
    : null;
  const query = useQuery({
    ...annotationsQuery({ from: window?.from ?? '', to: window?.to ?? '', filters: emptyFilters() }),
    enabled: window !== null,
  });
  return query.data?.annotations ?? NO_ANNOTATIONS;
}

function CriterionHistoryChart({
  transition,
  criterion,
  marks,
}: {
  transition: HistoryTransition;
  criterion: HistoryCriterionInfo;
  marks: readonly AnnotationMark[];
}) {
  const data = criterionSeries(transition, criterion.id);
  const observed = data.filter((point) => point.value !== null).length;
  const format = (value: unknown) => formatValue(typeof value === 'number' ? value : null, criterion.unit, criterion.perUnit);
  return (
    <figure
      className={styles.historyChart}
      data-criterion={criterion.id}
      data-points={observed}
      role="img"
      aria-label={`${criterion.label} per day (${formatThreshold(criterion)}), ${observed} of ${data.length} days evaluated`}
    >
      <figcaption>
        {criterion.label} <span className={styles.historyThreshold}>{formatThreshold(criterion)}</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={120}>
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey="day" tick={AXIS_TICK} tickFormatter={formatTimeTick} minTickGap={32} />
          <YAxis tick={AXIS_TICK} width={52} tickFormatter={format} domain={['auto', 'auto']} />
          <ReferenceLine y={criterion.threshold} stroke="var(--muted)" strokeDasharray="3 3" ifOverflow="extendDomain" />
          <Line
            type="linear"
            dataKey="value"
            stroke="var(--accent)"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          {annotationLines(marks)}
          <Tooltip
            wrapperStyle={{ fontSize: 11, zIndex: 10 }}
            formatter={(value) => format(value)}
            labelFormatter={(_, payload) => {
              const datum = payload?.[0]?.payload as CriterionHistoryDatum | undefined;
              return datum ? `${datum.day}${datum.status ? ` · ${STATUS_LABEL[datum.status]}` : ''}` : '';
            }}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function TransitionHistory({ transition, annotations }: { transition: HistoryTransition; annotations: readonly Annotation[] }) {
  const cells = verdictCells(transition);
  const marks = annotationMarks(
    annotations,
    cells.map((cell) => cell.day),
  );
  return (
    <section className={styles.historyTransition} data-history={`${transition.from}-${transition.to}`}>
      <h3 className={styles.historyHeading}>
        {transition.from} → {transition.to}
      </h3>
      <p className={styles.historySummary}>{historySummary(transition)}</p>
      <ol className={styles.verdictStrip} aria-label={`Verdict of ${transition.from} → ${transition.to} per day`}>
        {cells.map((cell) => (
          <li
            key={cell.day}
            className={styles.verdictCell}
            data-day={cell.day}
            data-state={cell.state}
            data-verdict={cell.verdict ?? 'none'}
            title={cell.title}
          >
            <span className={kit.srOnly}>{cell.title}</span>
          </li>
        ))}
      </ol>
      <div className={styles.historyCharts}>
        {transition.criteria.map((criterion) => (
          <CriterionHistoryChart key={criterion.id} transition={transition} criterion={criterion} marks={marks} />
        ))}
      </div>
    </section>
  );
}

/** Each gate's verdict and criterion values per day over the last 90 days, from the stored daily evaluations. */
export function HistoryPanel() {
  const history = useQuery(stageHistoryQuery());
  const data = history.data;
  const annotations = useHistoryAnnotations(data);
  return (
    <Panel
      testId="gate-history"
      title="Gate history, last 90 days"
      subtitle={
        data
          ? `Each UTC day evaluated as of its end with the configuration in force (v${data.configVersion}); ${data.counts.evaluated} days evaluated, ` +
            `${data.counts.outdated} being re-evaluated after late data, ${data.counts.notEvaluated} not evaluated yet. Dashed: the threshold; marked: stage decisions and releases.`
          : 'Stored daily evaluations, filled in the background.'
      }
      state={
        data
          ? undefined
          : history.error
            ? { status: 'error', error: history.error, retry: () => void history.refetch() }
            : { status: 'loading' }
      }
    >
      {data
        ? data.transitions.map((transition) => (
            <TransitionHistory key={transition.from} transition={transition} annotations={annotations} />
          ))
        : null}
    </Panel>
  );
}
