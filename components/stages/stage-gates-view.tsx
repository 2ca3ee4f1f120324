'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { PageGrid, PageHeader } from '@/components/kit/layout';
import { Panel } from '@/components/kit/panel';
import { ApiRequestError } from '@/lib/client/api';
import { stagesQuery } from '@/lib/client/stages';
import type { StageDecision } from '@/lib/contracts/stages';
import { BlastRadiusPanel } from './blast-radius-panel';
import { DecisionForm } from './decision-form';
import { DecisionLog } from './decision-log';
import { lazyChart, usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { TrendSparkline } from './criterion-row';

/** The history panel draws with Recharts: out of the page's first load (lazy-chart.tsx). */
const HistoryPanel = lazyChart(
  () => import('./history-panel').then((module) => module.HistoryPanel),
  () => ({ height: 360, label: 'Gate history' }),
);
import { EvaluationLinks, PastEvaluationPicker } from './past-evaluation';
import { parseEvaluationTo } from './prepare-history';
import { withRecorded } from './prepare';
import { ExperimentPanel } from './experiment-panel';
import { PhaseOutPanel } from './phase-out-panel';
import { SegmentPanel } from './segment-panel';
import { QueryClientFallback } from './query-client-fallback';
import { StageTrack } from './stage-track';
import styles from './stages.module.css';
import { TransitionPanel } from './transition-panel';

const evaluatedFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function StageGates() {
  usePreloadCharts(TrendSparkline, HistoryPanel);
  // The quick form (no trend) answers first; the full one fills the sparklines when it arrives.
  // `?to=` opens a past evaluation (a shared link, the date picker); default now.
  const to = parseEvaluationTo(useSearchParams().get('to'));
  const at = to ? { to } : {};
  const quick = useQuery(stagesQuery({ trend: 0, ...at }));
  const full = useQuery(stagesQuery(at));
  const data = full.data ?? quick.data;
  const error = data ? null : (quick.error ?? full.error);
  // Decisions recorded on this page, shown in a current evaluation's log at once (prepare.ts).
  const [recorded, setRecorded] = useState<StageDecision[]>([]);

  if (!data) {
    const configProblem = error instanceof ApiRequestError && error.code === 'config_invalid';
    return (
      <>
        <PageHeader title="Stage gates" description="Can we advance to the next stage, with what evidence, and what stops us?" />
        <PageGrid>
          <Panel
            testId="stage-gates-status"
            title={configProblem ? 'The rollout config is invalid' : 'Evaluating the stage gates'}
            subtitle={
              configProblem
                ? 'Fix the file named below (ROLLOUT_CONFIG, or unset it for the default); the page recovers by itself.'
                : 'The first evaluation reads every criterion’s window and can take a few seconds.'
            }
            state={error ? { status: 'error', error, retry: () => void quick.refetch() } : { status: 'loading' }}
          />
        </PageGrid>
      </>
    );
  }

  const criteria = data.transitions.flatMap((transition) => transition.criteria);
  const nothingObserved = criteria.every((criterion) => criterion.kind === 'duration' || !criterion.sampleSize);
  const next = data.transitions.find((transition) => transition.next);
  const ordered = next ? [next, ...data.transitions.filter((transition) => transition !== next)] : data.transitions;
  return (
    <>
      <PageHeader
        title="Stage gates"
        description="Can we advance to the next stage, with what evidence, and what stops us? Each criterion is judged on its 95 % interval over its own window; the global filters do not apply."
        meta={
          <span data-field="evaluated" data-evaluated-at={data.evaluatedAt}>
            Evaluated {evaluatedFormat.format(new Date(data.evaluatedAt))} UTC · config v{data.configVersion}
            <br />
            Stage {data.currentStage} from the {data.currentStageSource === 'decision_log' ? 'decision log' : 'config'}
            {data.daysAtCurrentStage !== null ? `, for ${data.daysAtCurrentStage} days` : ''}
            <PastEvaluationPicker to={to} />
            <EvaluationLinks evaluatedAt={data.evaluatedAt} />
          </span>
        }
      />
      <PageGrid>
        <Panel testId="stage-track" title="Rollout stages" subtitle="Each stage with the verdict of the gate that leaves it.">
          <StageTrack stages={data.stages} transitions={data.transitions} />
        </Panel>
        {data.configNote ? (
          <div className={`${styles.spanFull} ${styles.notice}`} role="note" data-testid="past-evaluation-note">
            {data.configNote}
          </div>
        ) : null}
        {nothingObserved ? (
          <div className={`${styles.spanFull} ${styles.notice}`} role="status">
            No telemetry in the criteria&apos;s windows yet, so nothing can be judged. Send ceremony events to /v1/logs (or run npm run
            demo).
          </div>
        ) : null}
        {ordered.map((transition) => (
          <TransitionPanel key={transition.from} transition={transition} stages={data.stages} trendPending={!full.data && !full.error} />
        ))}
        <SegmentPanel overall={data} to={to} />
        <ExperimentPanel to={to} />
        <HistoryPanel />
        <BlastRadiusPanel blastRadius={data.blastRadius} />
        <PhaseOutPanel to={to} />
        <DecisionForm
          currentStage={data.currentStage}
          stages={data.stages}
          evaluatedAt={data.evaluatedAt}
          onRecorded={(decision) => setRecorded((list) => [decision, ...list])}
        />
        <DecisionLog decisions={data.pastEvaluation ? data.decisions : withRecorded(data.decisions, recorded)} />
      </PageGrid>
    </>
  );
}

/** The Stage gates page: "can we advance from stage N to N + 1, with what evidence, and what stops us?" */
export function StageGatesView() {
  return (
    <QueryClientFallback>
      <StageGates />
    </QueryClientFallback>
  );
}
