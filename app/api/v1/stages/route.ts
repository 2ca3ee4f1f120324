import { defineRoute } from '@/lib/api/define-route';
import { errorResponse } from '@/lib/api/errors';
import { zStagesQuery, zStagesResponse } from '@/lib/contracts/stages';
import { blastRadiusSummary } from '@/lib/stage-gates/blast-radius';
import { decisionJson, listDecisions } from '@/lib/stage-gates/decisions';
import { evaluateStages, evaluationTime } from '@/lib/stage-gates/evaluate';
import { createStorageMeasurer } from '@/lib/stage-gates/measure';
import { rolloutConfigState } from '@/lib/stage-gates/rollout-config-service';

export const dynamic = 'force-dynamic';

/** Stage-gate readiness: every transition judged as of `to` (default now), the blast radius and the decision log. */
export const GET = defineRoute({
  name: 'stages',
  path: '/api/v1/stages',
  summary: 'Stage-gate readiness: every transition judged as of `to`, the blast radius and the decision log.',
  parameters: {
    to: 'Evaluate as of this instant (ISO-8601 date-time, or a date = midnight UTC); default now, to the minute.',
    trend: "How many previous windows each criterion's trend covers (0 = no trend, cheaper).",
  },
  query: zStagesQuery,
  response: zStagesResponse,
  handler: async ({ query }) => {
    const state = rolloutConfigState();
    if (!state.ok) return errorResponse(503, 'config_invalid', state.error.message);
    const { config } = state;
    // Windows end at `to` (default: this minute, so repeated requests share cached answers); the
    // stage state is as of `to` when given, else as of now, so a decision just recorded counts.
    const to = query.to ?? evaluationTime();
    const stateAt = query.to ?? new Date();
    const decisions = (await listDecisions()).filter((decision) => decision.decidedAt.getTime() <= stateAt.getTime());
    const [evaluation, blastRadius] = await Promise.all([
      evaluateStages({ config, decisions, to, stateAt, trendWindows: query.trend, measurer: createStorageMeasurer() }),
      blastRadiusSummary(to, query.to !== undefined),
    ]);
    return {
      currentStage: evaluation.currentStage,
      currentStageSource: evaluation.currentStageSource,
      stageEnteredAt: evaluation.stageEnteredAt?.toISOString() ?? null,
      daysAtCurrentStage: evaluation.daysAtCurrentStage,
      evaluatedAt: to.toISOString(),
      configVersion: config.version,
      trendWindows: query.trend,
      stages: evaluation.stages,
      transitions: evaluation.transitions,
      blastRadius,
      decisions: decisions.map(decisionJson),
    };
  },
});
