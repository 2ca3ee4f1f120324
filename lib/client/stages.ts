/**
 * TanStack Query options for the stage gates (GET /api/v1/stages, POST /api/v1/stages/decisions),
 * shared by the Stage gates page and the Overview panel: one key per question, so the Overview's
 * quick form (`trend: 0`) and the page's first paint are the same cache entry. Responses are
 * validated with the route's own schema (lib/contracts/stages.ts) by the one fetch helper.
 */
import {
  DEFAULT_TREND_WINDOWS,
  zDecisionResponse,
  zStagesResponse,
  type DecisionBody,
  type SegmentDimension,
} from '@/lib/contracts/stages';
import { zExperimentResponse } from '@/lib/contracts/stage-experiment';
import { DEFAULT_PHASE_OUT_WEEKS, zPhaseOutResponse } from '@/lib/contracts/stage-phase-out';
import { MAX_HISTORY_DAYS, zStageHistoryResponse } from '@/lib/contracts/stage-history';
import { zDecisionSnapshotResponse } from '@/lib/contracts/stage-snapshots';
import { postApi } from './api';
import { apiQuery } from './api-query';

export interface StagesParams {
  /** Previous windows in each criterion's trend; 0 is the quick form (no trend). */
  trend?: number;
  /** ISO-8601 end of every window; default now. */
  to?: string;
  /** Also judge every criterion per value of this dimension. */
  segment?: SegmentDimension;
}

export const stagesKeys = {
  all: ['stages'] as const,
  evaluation: (params: StagesParams) => ['stages', 'evaluation', params] as const,
  history: (days: number) => ['stages', 'history', days] as const,
  experiment: (to: string | null) => ['stages', 'experiment', to] as const,
  phaseOut: (to: string | null, weeks: number) => ['stages', 'phase-out', to, weeks] as const,
};

export function stagesQuery(params: StagesParams = {}) {
  const normalized: StagesParams = {
    trend: params.trend ?? DEFAULT_TREND_WINDOWS,
    ...(params.to ? { to: params.to } : {}),
    ...(params.segment ? { segment: params.segment } : {}),
  };
  return apiQuery(
    stagesKeys.evaluation(normalized),
    { path: '/api/v1/stages', params: { ...normalized }, schema: zStagesResponse },
    {
      // The server caches an evaluation's queries for a minute.
      staleTime: 60_000,
      // The current evaluation may be the server's kept one of an earlier minute (up to two old)
      // while it measures this minute's: ask again shortly for that one (docs/stage-gates.md, "How fresh").
      refetchAfter: normalized.to ? undefined : (data) => (data && isEarlierMinute(data.evaluatedAt, Date.now()) ? CATCH_UP_MS : false),
    },
  );
}

/** Whether an evaluation's windows end before the minute `now` is in. */
export const isEarlierMinute = (evaluatedAt: string, now: number) => Date.parse(evaluatedAt) < Math.floor(now / 60_000) * 60_000;

/** How soon the page asks again for the current evaluation when it was served one of an earlier minute. */
export const CATCH_UP_MS = 15_000;

/** The current stage and its gate verdicts, the cheap form (no trend); the stage gates ignore the global filters. */
export const currentStageQuery = () => stagesQuery({ trend: 0 });

export function recordStageDecision(body: DecisionBody) {
  return postApi('/api/v1/stages/decisions', body, zDecisionResponse);
}

/** The stored daily evaluations (GET /api/v1/stages/history): read, never evaluated on demand, so cheap to refetch. */
export function stageHistoryQuery(days: number = MAX_HISTORY_DAYS) {
  return apiQuery(
    stagesKeys.history(days),
    { path: '/api/v1/stages/history', params: { days }, schema: zStageHistoryResponse },
    { staleTime: 60_000 },
  );
}

/** The evidence snapshot of one decision (GET /api/v1/stages/decisions?id=…); it never changes. */
export function decisionSnapshotQuery(decisionId: string) {
  return apiQuery(
    ['stages', 'decision-snapshot', decisionId],
    { path: '/api/v1/stages/decisions', params: { id: decisionId }, schema: zDecisionSnapshotResponse },
    { staleTime: Infinity },
  );
}

/** The rollout experiment, treatment against control (GET /api/v1/stages/experiment), as of `to` (default now). */
export function experimentQuery(to: string | null) {
  return apiQuery(
    stagesKeys.experiment(to),
    { path: '/api/v1/stages/experiment', params: to ? { to } : {}, schema: zExperimentResponse },
    { staleTime: 60_000 },
  );
}

/** Stage 4 over time (GET /api/v1/stages/phase-out): the last `weeks` UTC weeks up to `to` (default now). */
export function phaseOutQuery(to: string | null, weeks: number = DEFAULT_PHASE_OUT_WEEKS) {
  return apiQuery(
    stagesKeys.phaseOut(to, weeks),
    { path: '/api/v1/stages/phase-out', params: { weeks, ...(to ? { to } : {}) }, schema: zPhaseOutResponse },
    { staleTime: 60_000 },
  );
}
