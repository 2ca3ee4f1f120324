import 'server-only';
/**
 * The stage-gate API questions, one service each (the routes under app/api/v1/stages parse,
 * call one of these and respond): the evaluation (`GET /stages`, JSON or CSV), a decision with its
 * evidence (`POST /stages/decisions`), the stored history (`GET /stages/history`) and the lock-out
 * blast radius (`GET /stages/blast-radius`).
 */
import type { z } from 'zod';
import { ApiError } from '@/lib/api/errors';
import type { zExperimentQuery } from '@/lib/contracts/stage-experiment';
import type { zPhaseOutQuery } from '@/lib/contracts/stage-phase-out';
import { DEFAULT_TREND_WINDOWS, zStagesQuery, type zBlastRadiusQuery, type zDecisionBody } from '@/lib/contracts/stages';
import { blastRadiusCsv, blastRadiusSummary, blastRadiusUsers } from './blast-radius';
import type { RolloutConfig } from './config';
import { evaluationForSnapshot, snapshotIds, snapshotOf, snapshotUrl, storeSnapshot } from './decision-snapshots';
import { decisionJson, listDecisions, recordDecision } from './decisions';
import { evaluateStages, evaluationTime, pastConfigNote } from './evaluate';
import { evaluationQueue } from './evaluation-queue';
import { keptEvaluations, watchedQuestions, type KeptEvaluations, type WatchedQuestions } from './kept-evaluations';
import { compareExperiment } from './experiment';
import { phaseOutSeries } from './phase-out';
import { stagesCsv } from './export';
import { storedDaysGeneration } from './history-pass';
import { stageHistory, storedJudgements } from './history-service';
import { createStorageMeasurer } from './measure';
import { rolloutConfigState } from './rollout-config-service';
import { evaluateSegments } from './segments';
import { checkDecision, stageStateAt, type RecordedDecision } from './stage-state';

/** A snapshot may name an evaluation up to a minute ahead of the server's clock (the page's own minute). */
const CLOCK_SKEW_MS = 60_000;

/** The rollout configuration in force, or a 503 `config_invalid` naming what is wrong with it. */
export function currentRolloutConfig(): RolloutConfig {
  const state = rolloutConfigState();
  if (!state.ok) throw new ApiError(503, 'config_invalid', state.error.message);
  return state.config;
}

/**
 * The current evaluation (no `to`) may be served up to this long after its windows end while the
 * next is measured (lib/stage-gates/kept-evaluations.ts; docs/stage-gates.md "How fresh").
 */
export const CURRENT_EVALUATION_MAX_AGE_MS = 2 * 60_000;

const KEPT = Symbol.for('passkey-analytics.kept-stage-evaluations');
type Measured = Awaited<ReturnType<typeof measure>>;
type GlobalWithKept = typeof globalThis & { [KEPT]?: KeptEvaluations<Measured> };

function kept(): KeptEvaluations<Measured> {
  const g = globalThis as GlobalWithKept;
  return (g[KEPT] ??= keptEvaluations<Measured>({
    maxAgeMs: CURRENT_EVALUATION_MAX_AGE_MS,
    keys: 16,
    // A refused one (the queue is full) is simply not measured ahead; the next viewer asks again.
    onBackgroundError: (error) => {
      if (error instanceof ApiError && error.code === 'busy') return;
      console.error(`[stage-gates] background evaluation failed: ${(error as Error).message.split('\n')[0]}`);
    },
  }));
}

/**
 * With GATE_REFRESH on, the current questions asked in the last 15 minutes are measured ahead of
 * their viewers (kept-evaluations.ts, `watchedQuestions` and `prepare`; docs/stage-gates.md "How fresh").
 */
const WATCH_MS = 15 * 60_000;
const REFRESH_TICK_MS = 15_000;
const WATCHED = Symbol.for('passkey-analytics.watched-stage-questions');
type StagesQuestion = z.output<typeof zStagesQuery>;
type GlobalWithWatched = typeof globalThis & { [WATCHED]?: WatchedQuestions<StagesQuestion> };

function watched(): WatchedQuestions<StagesQuestion> {
  const g = globalThis as GlobalWithWatched;
  return (g[WATCHED] ??= watchedQuestions<StagesQuestion>({ watchMs: WATCH_MS, max: 16 }));
}

function watch(query: StagesQuestion): void {
  watched().ask(JSON.stringify([query.trend, query.segment ?? null]), query);
}

/** A viewer's question: a current one (no `to`) is watched. */
async function evaluation(query: StagesQuestion) {
  const config = currentRolloutConfig();
  const [log, snapshots] = await Promise.all([listDecisions(), snapshotIds()]);
  if (query.to) {
    // A past (or named) evaluation: the stage state is as of `to` too.
    return { config, to: query.to, snapshots, ...(await queued(query, config, log, query.to, query.to)) };
  }
  watch(query);
  const current = await kept().get(currentKey(query, config, log), evaluationTime(), (to) => queued(query, config, log, to, new Date()));
  return { config, to: new Date(current.to), snapshots, ...current.value };
}

/**
 * The current evaluation (windows ending at this minute, so viewers share cached answers; the stage
 * state as of now) is kept under everything else it depends on: the question, the configuration,
 * the decision log (a decision just recorded counts), and for a trend the stored days it reads.
 */
function currentKey(query: StagesQuestion, config: RolloutConfig, log: readonly RecordedDecision[]): string {
  return JSON.stringify([
    query.trend,
    query.segment ?? null,
    config,
    log.length,
    log[0]?.id ?? null,
    query.trend > 0 ? storedDaysGeneration() : 0,
  ]);
}

function queued(query: StagesQuestion, config: RolloutConfig, log: readonly RecordedDecision[], to: Date, stateAt: Date) {
  return evaluationQueue().run(() => measure(query, config, log, to, stateAt));
}

/**
 * Measures every watched question's current evaluation ahead of its viewers when the kept one is due
 * (kept-evaluations.ts, `prepare`: every 2 minutes); failures are logged, not thrown.
 */
async function refreshCurrentEvaluations(): Promise<void> {
  const questions = watched().current();
  if (questions.length === 0) return;
  try {
    // One read of the configuration and the decision log per tick, whatever the number of questions.
    const config = currentRolloutConfig();
    const log = await listDecisions();
    const to = evaluationTime();
    await Promise.all(
      questions.map((query) => kept().prepare(currentKey(query, config, log), to, (at) => queued(query, config, log, at, new Date()))),
    );
  } catch (error) {
    // A full queue or an invalid configuration: the next tick (or viewer) asks again.
    if (error instanceof ApiError && (error.code === 'busy' || error.code === 'config_invalid')) return;
    console.error(`[stage-gates] measuring the current evaluation ahead failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * GATE_REFRESH=on (lib/startup.ts): the Overview's panel (trend 0) and the Stage gates page's
 * default question are watched from the start, and every watched question is looked at every 15 s.
 */
export function startCurrentEvaluationRefresh(): void {
  for (const trend of [DEFAULT_TREND_WINDOWS, 0]) watch(zStagesQuery.parse({ trend }));
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void refreshCurrentEvaluations().finally(() => {
      running = false;
    });
  };
  setInterval(tick, REFRESH_TICK_MS).unref();
  tick();
}

async function measure(query: StagesQuestion, config: RolloutConfig, log: readonly RecordedDecision[], to: Date, stateAt: Date) {
  const decisions = log.filter((decision) => decision.decidedAt.getTime() <= stateAt.getTime());
  const measurer = createStorageMeasurer();
  const [evaluated, blastRadius] = await Promise.all([
    // Trend windows a current stored daily evaluation holds are read, not measured again.
    storedJudgements(config, to, query.trend).then((stored) =>
      evaluateStages({ config, decisions, to, stateAt, trendWindows: query.trend, measurer, stored }),
    ),
    blastRadiusSummary(to, query.to !== undefined),
  ]);
  // Segments inform; the transitions' verdicts stay the overall ones (DESIGN.md section 11).
  const overall = new Map(evaluated.transitions.map((transition) => [transition.from, transition.verdict]));
  const segments = query.segment
    ? await evaluateSegments({ config, decisions, to, stateAt, dimension: query.segment, measurer, overall })
    : null;
  return { decisions, evaluated, blastRadius, segments };
}

/** GET /api/v1/stages as JSON. */
export async function stagesResponse(query: StagesQuestion) {
  const { config, to, decisions, snapshots, evaluated, blastRadius, segments } = await evaluation(query);
  const pastEvaluation = query.to !== undefined && query.to.getTime() < Date.now();
  return {
    currentStage: evaluated.currentStage,
    currentStageSource: evaluated.currentStageSource,
    stageEnteredAt: evaluated.stageEnteredAt?.toISOString() ?? null,
    daysAtCurrentStage: evaluated.daysAtCurrentStage,
    evaluatedAt: to.toISOString(),
    configVersion: config.version,
    // The criteria and the blast radius read the same environments: the server's DEFAULT_ENVIRONMENT.
    environments: blastRadius.environments,
    pastEvaluation,
    configUsed: 'current' as const,
    configNote: pastEvaluation ? pastConfigNote(to, config.version) : null,
    trendWindows: query.trend,
    stages: evaluated.stages,
    transitions: evaluated.transitions,
    blastRadius,
    decisions: decisions.map((decision) => decisionJson(decision, snapshots.has(decision.id) ? snapshotUrl(decision.id) : null)),
    segments,
  };
}

/** GET /api/v1/stages?format=csv: the evaluation as CSV, its file name and row count. */
export async function stagesCsvExport(query: StagesQuestion) {
  const { config, to, evaluated, segments } = await evaluation(query);
  const csv = stagesCsv(
    { evaluatedAt: to.toISOString(), configVersion: config.version, transitions: evaluated.transitions, segments },
    { raw: query.raw },
  );
  return { body: csv.body, fileName: `stage-gates-${to.toISOString().slice(0, 16).replace(':', '')}.csv`, rows: csv.rows };
}

/**
 * POST /api/v1/stages/decisions: records advance / hold / roll back with the evidence shown (the
 * evaluation at `evaluatedAt`); `actor` is the signed-in person or the named token.
 */
export async function recordStageDecision(body: z.output<typeof zDecisionBody>, actor: string) {
  const config = currentRolloutConfig();
  const evaluatedAt = body.evaluatedAt ? new Date(body.evaluatedAt) : evaluationTime();
  if (evaluatedAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
    throw new ApiError(400, 'invalid_decision', 'must not be in the future: name the evaluation the decision was made on', 'evaluatedAt');
  }
  // A decision that cannot fit the current stage is refused before any evaluation (recordDecision checks again under its lock).
  const log = await listDecisions();
  const check = checkDecision(body.action, body.stage, stageStateAt(config, log, new Date()).currentStage);
  if (!check.ok) throw new ApiError(400, 'invalid_decision', check.message, 'stage');
  // The evidence first (it may take a moment; the page's evaluation is cached), then the decision.
  const shown = await evaluationForSnapshot(config, log, evaluatedAt);
  const { evaluatedAt: _shown, ...input } = body;
  const { decision, currentStage } = await recordDecision(config, { ...input, actor });
  let url: string | null = snapshotUrl(decision.id);
  try {
    await storeSnapshot(decision, snapshotOf(decision.id, shown, evaluatedAt, config.version));
  } catch (error) {
    // The decision stands (a retry would record it twice); it is listed without evidence.
    console.error(`[stage-gates] decision ${decision.id}: its snapshot was not stored: ${(error as Error).message.split('\n')[0]}`);
    url = null;
  }
  return { decision: decisionJson(decision, url), currentStage };
}

/** GET /api/v1/stages/history: the stored daily evaluations under the configuration in force. */
export function stagesHistory(days: number) {
  return stageHistory(currentRolloutConfig(), days);
}

/** GET /api/v1/stages/blast-radius: the summary and the users at risk (`csv` for the export). */
export async function blastRadiusAnswer(query: z.output<typeof zBlastRadiusQuery>) {
  const to = query.to ?? evaluationTime();
  const [summary, users] = await Promise.all([
    blastRadiusSummary(to, query.to !== undefined, query.environment),
    blastRadiusUsers(to, query.limit, query.environment),
  ]);
  return { to, summary, users, csv: () => blastRadiusCsv(users, { raw: query.raw }) };
}

/** GET /api/v1/stages/experiment: the rollout experiment's treatment against control, criterion by criterion. */
export function experimentAnswer(query: z.output<typeof zExperimentQuery>) {
  const config = currentRolloutConfig();
  return evaluationQueue().run(() => compareExperiment(config, query.to ?? evaluationTime(), createStorageMeasurer()));
}

/** GET /api/v1/stages/phase-out: stage 4 over time, week by week. */
export function phaseOutAnswer(query: z.output<typeof zPhaseOutQuery>) {
  return evaluationQueue().run(() => phaseOutSeries(query.to ?? evaluationTime(), query.weeks, query.environment, query.tz));
}
