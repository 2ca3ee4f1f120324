/**
 * Stage-gate evaluation (DESIGN.md section 5): every transition of the rollout config, every
 * criterion measured over its own window ending at `to`, with its filters, and judged by the
 * verdict rules (lib/stage-gates/verdict.ts); per-device-class criteria judged in every class;
 * each criterion with its trend (the same criterion over the previous windows of equal length) and
 * a drill-down link. Framework-free: measurements come from a Measurer (lib/stage-gates/measure.ts
 * over storage), the stage state from the config and the decision log (stage-state.ts).
 *
 * Windows: a criterion with windowDays d is measured over [to − d days, to); its trend adds the n
 * previous windows of the same length (see criterionWindows), each ending at a UTC midnight — so
 * the stored daily evaluation of the day before holds its judgement, read instead of measured when
 * it is current (EvaluationInput.stored). Durations have no trend.
 */
import type {
  DeviceClassBreakdown,
  GateMeasurementValue,
  Judgement,
  StageCriterion,
  StageSummary,
  StageTransitionResult,
  TrendPoint,
  ValueUnit,
} from '@/lib/contracts/stages';
import { gateMetric, type GateCriterion, type RolloutConfig, type StageTransition } from './config';
import { drillDownLink, HIGH_RISK_METRICS } from './drill-down';
import type { CriterionFilters, MeasuredMetricId, MeasureWindow, Measurer } from './measure';
import { DAY_MS, daysAtStage, stageStateAt, type RecordedDecision, type StageState } from './stage-state';
import {
  judgeCriterion,
  judgePerDeviceClass,
  transitionVerdict,
  type CriterionJudgement,
  type CriterionRule,
  type DeviceClassMeasurement,
  type GateMeasurement,
  type MeasurementKind,
} from './verdict';

export interface EvaluationInput {
  config: RolloutConfig;
  /** The decision log, any order. */
  decisions: readonly RecordedDecision[];
  /** Every window ends here. */
  to: Date;
  /** The stage state (current stage, days at stage) as of this instant; default `to`. */
  stateAt?: Date;
  /** Previous windows in each criterion's trend (0 = none). */
  trendWindows: number;
  measurer: Measurer;
  /**
   * The stored judgement of a criterion over the window ending at `windowTo` (a UTC midnight), when
   * a current stored daily evaluation holds it (history-service.ts, storedJudgements): a trend
   * window found there is not measured again.
   */
  stored?: (fromStage: number, criterionId: string, windowTo: Date) => Judgement | undefined;
}

export interface StageEvaluation extends StageState {
  daysAtCurrentStage: number | null;
  stages: StageSummary[];
  transitions: StageTransitionResult[];
}

export const UNIT_OF_KIND: Record<MeasurementKind, ValueUnit> = {
  proportion: 'proportion',
  rate: 'rate',
  rate_comparison: 'ratio',
  count: 'count',
  duration: 'days',
};

/**
 * "Now" for an evaluation without an explicit `to`: the current minute (floored), so that requests
 * within the same minute ask identical questions and share cached answers (query-cache.ts).
 */
export function evaluationTime(now: number = Date.now()): Date {
  return new Date(Math.floor(now / 60_000) * 60_000);
}

/** What a past evaluation says about its configuration (docs/stage-gates.md, "A past evaluation"). */
export function pastConfigNote(to: Date, configVersion: number): string {
  return (
    `Evaluated as of ${to.toISOString()} with the configuration in force now (version ${configVersion}), not the one in force then: ` +
    'criteria, thresholds and minimum samples edited since apply to this past date; the stage state and the decision log are those of that moment.'
  );
}

/**
 * The windows of a criterion, oldest first, the current one last. The current window is exactly
 * [to − d, to); the previous ones are contiguous windows of the same length ending at the UTC
 * midnight at or before the current window's start, so they stay the same all day and their
 * answers can be cached (query-cache.ts) — at the price of a gap of less than a day.
 */
export function criterionWindows(to: Date, windowDays: number, trendWindows: number): MeasureWindow[] {
  const length = windowDays * DAY_MS;
  const currentFrom = to.getTime() - length;
  const anchor = Math.floor(currentFrom / DAY_MS) * DAY_MS;
  const windows: MeasureWindow[] = [];
  for (let k = trendWindows; k >= 1; k--) {
    windows.push({ from: new Date(anchor - k * length), to: new Date(anchor - (k - 1) * length) });
  }
  windows.push({ from: new Date(currentFrom), to });
  return windows;
}

/** The measurement of a kind when nothing was observed (no device class, no data). */
export function emptyMeasurement(kind: MeasurementKind, perUnit = 1): GateMeasurement {
  switch (kind) {
    case 'proportion':
      return { kind, successes: 0, n: 0 };
    case 'rate':
      return { kind, events: 0, exposure: 0, perUnit };
    case 'rate_comparison':
      return { kind, subject: { events: 0, exposure: 0 }, reference: { events: 0, exposure: 0 } };
    case 'count':
      return { kind, count: 0, sampleSize: 0 };
    case 'duration':
      return { kind, days: null };
  }
}

export function criterionFilters(criterion: GateCriterion): CriterionFilters {
  return {
    deviceClass: criterion.filters?.deviceClass ?? [],
    riskTier: HIGH_RISK_METRICS.has(criterion.metric) ? 'high' : (criterion.filters?.riskTier ?? null),
  };
}

function judgementFields(judgement: CriterionJudgement) {
  const { value, ciLow, ciHigh, sampleSize, status } = judgement;
  return { value, ciLow, ciHigh, sampleSize, status };
}

function windowIso(window: MeasureWindow) {
  return { from: window.from.toISOString(), to: window.to.toISOString() };
}

interface Judged {
  judgement: CriterionJudgement;
  measurement: GateMeasurement;
  classes: DeviceClassBreakdown[];
  deviceClass: string | null;
}

async function judgeWindow(
  criterion: GateCriterion,
  rule: CriterionRule,
  window: MeasureWindow,
  filters: CriterionFilters,
  measurer: Measurer,
): Promise<Judged> {
  const spec = gateMetric(criterion.metric);
  const metric = criterion.metric as MeasuredMetricId;
  if (!criterion.perDeviceClass) {
    const measurement = await measurer.measure(metric, window, filters);
    return { judgement: judgeCriterion({ ...rule, ...measurement }), measurement, classes: [], deviceClass: null };
  }
  const byClass: DeviceClassMeasurement[] = await measurer.measureByDeviceClass(metric, window, filters);
  const combined = judgePerDeviceClass(rule, byClass);
  const measurementOf = new Map(byClass.map((entry) => [entry.deviceClass, entry.measurement]));
  const classes = combined.classes.map((entry) => ({
    ...judgementFields(entry),
    deviceClass: entry.deviceClass,
    qualifies: entry.qualifies,
    measurement: measurementOf.get(entry.deviceClass) ?? emptyMeasurement(spec.kind, spec.perUnit),
    drillDown: drillDownLink(criterion.metric, { window, deviceClass: [entry.deviceClass], riskTier: filters.riskTier }),
  }));
  const deciding = combined.deviceClass;
  return {
    judgement: combined,
    measurement: (deciding && measurementOf.get(deciding)) || emptyMeasurement(spec.kind, spec.perUnit),
    classes,
    deviceClass: deciding,
  };
}

async function evaluateCriterion(criterion: GateCriterion, transition: StageTransition, input: EvaluationInput): Promise<StageCriterion> {
  const spec = gateMetric(criterion.metric);
  const rule: CriterionRule = { comparator: criterion.comparator, threshold: criterion.threshold, minSample: criterion.minSample };
  const filters = criterionFilters(criterion);
  const windows = criterionWindows(input.to, criterion.windowDays, input.trendWindows);
  const current = windows.at(-1) as MeasureWindow;

  const base = {
    id: criterion.id,
    metric: criterion.metric,
    kind: spec.kind,
    unit: UNIT_OF_KIND[spec.kind],
    perUnit: spec.perUnit ?? null,
    label: spec.kind === 'duration' ? `Days at stage ${transition.from}` : spec.label,
    description: criterion.description ?? null,
    comparator: criterion.comparator,
    threshold: criterion.threshold,
    minSample: criterion.minSample,
    sampleUnit: spec.sampleUnit,
    windowDays: criterion.windowDays,
    window: windowIso(current),
    filters: { deviceClass: [...filters.deviceClass], riskTier: filters.riskTier },
    perDeviceClass: criterion.perDeviceClass ?? false,
    drillDown: drillDownLink(criterion.metric, { window: current, deviceClass: filters.deviceClass, riskTier: filters.riskTier }),
  };

  if (spec.kind === 'duration') {
    const measurement: GateMeasurement = {
      kind: 'duration',
      days: daysAtStage(input.config, input.decisions, transition.from, input.stateAt ?? input.to),
    };
    return {
      ...base,
      ...judgementFields(judgeCriterion({ ...rule, ...measurement })),
      deviceClass: null,
      classes: [],
      measurement,
      trend: [],
    };
  }

  const previous = windows.slice(0, -1);
  const [latest, ...earlier] = await Promise.all([
    judgeWindow(criterion, rule, current, filters, input.measurer),
    ...previous.map(async (window): Promise<TrendPoint> => {
      const stored = input.stored?.(transition.from, criterion.id, window.to);
      if (stored) return { ...stored, ...windowIso(window), stored: true };
      const judged = await judgeWindow(criterion, rule, window, filters, input.measurer);
      return { ...judgementFields(judged.judgement), ...windowIso(window), stored: false };
    }),
  ]);
  const trend: TrendPoint[] =
    input.trendWindows === 0 ? [] : [...earlier, { ...judgementFields(latest.judgement), ...windowIso(current), stored: false }];
  return {
    ...base,
    ...judgementFields(latest.judgement),
    deviceClass: latest.deviceClass,
    classes: latest.classes,
    measurement: latest.measurement as GateMeasurementValue,
    trend,
  };
}

async function evaluateTransition(
  transition: StageTransition,
  currentStage: number,
  input: EvaluationInput,
): Promise<StageTransitionResult> {
  const criteria = await Promise.all(transition.criteria.map((criterion) => evaluateCriterion(criterion, transition, input)));
  return {
    from: transition.from,
    to: transition.to,
    verdict: transitionVerdict(criteria.map((criterion) => criterion.status)),
    next: transition.from === currentStage,
    criteria,
  };
}

export function stageSummaries(config: RolloutConfig, currentStage: number): StageSummary[] {
  return config.stages.map((stage) => ({
    id: stage.id,
    name: stage.name,
    description: stage.description,
    current: stage.id === currentStage,
    state: stage.id < currentStage ? 'done' : stage.id === currentStage ? 'current' : 'upcoming',
  }));
}

/** Evaluate every transition of the config as of `to`. */
export async function evaluateStages(input: EvaluationInput): Promise<StageEvaluation> {
  const stateAt = input.stateAt ?? input.to;
  const state = stageStateAt(input.config, input.decisions, stateAt);
  const ordered = [...input.config.transitions].sort((a, b) => a.from - b.from);
  const transitions = await Promise.all(ordered.map((transition) => evaluateTransition(transition, state.currentStage, input)));
  return {
    ...state,
    daysAtCurrentStage: daysAtStage(input.config, input.decisions, state.currentStage, stateAt),
    stages: stageSummaries(input.config, state.currentStage),
    transitions,
  };
}
