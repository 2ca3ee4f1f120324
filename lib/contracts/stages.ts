/**
 * GET /api/v1/stages — stage-gate readiness (DESIGN.md sections 5 and 6): the five stages with the
 * current one, every transition's verdict with its criteria (value, 95 % interval, sample, status,
 * trend over previous windows, drill-down link, per-device-class breakdown), the stage-4 lock-out
 * blast radius, the decision log and the config version.
 * POST /api/v1/stages/decisions — record advance / hold / roll back.
 * GET /api/v1/stages/blast-radius — the at-risk holders (JSON or CSV).
 *
 * Shared by the routes, the Stage gates page and the Overview "Current stage" panel. Client-safe:
 * imports no server module (lib/stage-gates/config.ts reads files; only its ids are mirrored here).
 */
import { z } from 'zod';
import { zCsvRaw, zFilterParams } from '@/lib/api/params';
import { CRITERION_STATUSES, MEASUREMENT_KINDS, TRANSITION_VERDICTS } from '@/lib/stage-gates/verdict';

export const STAGE_IDS = [1, 2, 3, 4, 5] as const;
export const zStageId = z.number().int().min(1).max(5);

const zInstant = z.iso.datetime();

// ---------------------------------------------------------------------------------------------
// GET /api/v1/stages
// ---------------------------------------------------------------------------------------------

export const MAX_TREND_WINDOWS = 12;
export const SEGMENT_DIMENSIONS = ['deviceClass', 'os', 'variant', 'riskTier'] as const;
export const zSegmentDimension = z.enum(SEGMENT_DIMENSIONS, { message: 'must be one of deviceClass, os, variant, riskTier' });
export type SegmentDimension = z.infer<typeof zSegmentDimension>;
export const DEFAULT_TREND_WINDOWS = 6;

export const zStagesQuery = z.object({
  /** Every criterion's window ends here (ISO-8601); default now (to the minute). */
  to: z.iso
    .datetime({ offset: true, local: true, message: 'must be an ISO-8601 date-time, e.g. 2026-11-01T00:00:00Z' })
    .or(z.iso.date({ message: 'must be an ISO-8601 date or date-time' }))
    .transform((value) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value))
    .optional(),
  /**
   * Also evaluate every criterion per value of this dimension (`segments` in the response); the
   * transitions' verdicts stay the overall ones.
   */
  segment: zSegmentDimension.optional(),
  /** `csv`: the evaluation as a CSV export (one row per transition and criterion, and per segment value with `segment`). */
  format: z.enum(['json', 'csv']).default('json'),
  /** CSV only: `1` exports text exactly as computed, without the `'` before formula-like cells. */
  raw: zCsvRaw,
  /** How many previous windows each criterion's trend covers (0 = no trend, cheaper). */
  trend: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(MAX_TREND_WINDOWS, `must be at most ${MAX_TREND_WINDOWS}`)
    .default(DEFAULT_TREND_WINDOWS),
});
export type StagesQuery = z.input<typeof zStagesQuery>;

export const zCriterionStatus = z.enum(CRITERION_STATUSES);
export type CriterionStatusValue = z.infer<typeof zCriterionStatus>;
export const zTransitionVerdict = z.enum(TRANSITION_VERDICTS);
export type TransitionVerdictValue = z.infer<typeof zTransitionVerdict>;
export const zMeasurementKind = z.enum(MEASUREMENT_KINDS);

/** The counts a criterion was judged on (lib/stage-gates/verdict.ts GateMeasurement), shown as evidence. */
export const zGateMeasurement = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('proportion'), successes: z.number().int().nonnegative(), n: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('rate'),
    events: z.number().int().nonnegative(),
    exposure: z.number().nonnegative(),
    perUnit: z.number().positive(),
    sampleSize: z.number().nonnegative().optional(),
  }),
  z.object({
    kind: z.literal('rate_comparison'),
    subject: z.object({ events: z.number().int().nonnegative(), exposure: z.number().nonnegative() }),
    reference: z.object({ events: z.number().int().nonnegative(), exposure: z.number().nonnegative() }),
  }),
  z.object({ kind: z.literal('count'), count: z.number().int().nonnegative(), sampleSize: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('duration'), days: z.number().nonnegative().nullable() }),
]);
export type GateMeasurementValue = z.infer<typeof zGateMeasurement>;

/** value / interval / sample / status — the judgement of one window or one device class. */
export const zJudgement = z.object({
  value: z.number().nullable(),
  /** null with a number ciLow: no upper limit (an unbounded ratio); both null: no interval (exact kinds, no data). */
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  /** What minSample was compared with; null for durations. */
  sampleSize: z.number().nullable(),
  status: zCriterionStatus,
});
export type Judgement = z.infer<typeof zJudgement>;

export const zTimeWindow = z.object({ from: zInstant, to: zInstant });
export type TimeWindowValue = z.infer<typeof zTimeWindow>;

/** One point of a criterion's trend: the same criterion judged over an earlier window of equal length. */
export const zTrendPoint = zJudgement.extend(zTimeWindow.shape).extend({
  /**
   * Read from the stored daily evaluation of the day ending at `to` (docs/stage-gates.md "History":
   * current, under this configuration, not outdated by late data) instead of measured again — the
   * same answer, exactly.
   */
  stored: z.boolean(),
});
export type TrendPoint = z.infer<typeof zTrendPoint>;

export const zDeviceClassBreakdown = zJudgement.extend({
  deviceClass: z.string(),
  /** Judged (enough sample, or an irreversible fail); classes below the minimum are shown but do not decide. */
  qualifies: z.boolean(),
  measurement: zGateMeasurement,
  drillDown: z.string(),
});
export type DeviceClassBreakdown = z.infer<typeof zDeviceClassBreakdown>;

/** How a value reads: a proportion (0–1, shown as %), a rate per `perUnit`, a ratio, a count or days. */
export const VALUE_UNITS = ['proportion', 'rate', 'ratio', 'count', 'days'] as const;
export const zValueUnit = z.enum(VALUE_UNITS);
export type ValueUnit = z.infer<typeof zValueUnit>;

export const zStageCriterion = zJudgement.extend({
  id: z.string(),
  metric: z.string(),
  kind: zMeasurementKind,
  unit: zValueUnit,
  /** Rates only: per how many units of exposure (1,000). */
  perUnit: z.number().nullable(),
  label: z.string(),
  description: z.string().nullable(),
  comparator: z.enum(['gte', 'lte']),
  threshold: z.number(),
  minSample: z.number().int().nonnegative(),
  /** What the sample size counts; null for durations. */
  sampleUnit: z.string().nullable(),
  windowDays: z.number().int().positive(),
  /** The window this criterion was measured over: [to − windowDays, to). */
  window: zTimeWindow,
  filters: z.object({ deviceClass: z.array(z.string()), riskTier: z.string().nullable() }),
  perDeviceClass: z.boolean(),
  /** Per-device-class criteria: the class whose result is reported (the worst qualifying one), else null. */
  deviceClass: z.string().nullable(),
  /** Per-device-class criteria: every class seen, by name; empty otherwise. */
  classes: z.array(zDeviceClassBreakdown),
  measurement: zGateMeasurement,
  /**
   * The criterion over previous windows of equal length (contiguous, ending at the UTC midnight at
   * or before the current window's start) and the current window (last), oldest first; empty for
   * durations or trend=0.
   */
  trend: z.array(zTrendPoint),
  /** A dashboard URL (path and query) showing this criterion's evidence, with its filters and window. */
  drillDown: z.string().nullable(),
});
export type StageCriterion = z.infer<typeof zStageCriterion>;

export const zStageTransitionResult = z.object({
  from: zStageId,
  to: zStageId,
  verdict: zTransitionVerdict,
  /** This transition leaves the current stage: its verdict answers "can we advance now?". */
  next: z.boolean(),
  criteria: z.array(zStageCriterion),
});
export type StageTransitionResult = z.infer<typeof zStageTransitionResult>;

export const zStageSummary = z.object({
  id: zStageId,
  name: z.string(),
  description: z.string(),
  current: z.boolean(),
  /** `done` below the current stage, `current`, `upcoming` above it. */
  state: z.enum(['done', 'current', 'upcoming']),
});
export type StageSummary = z.infer<typeof zStageSummary>;

export const DECISION_ACTIONS = ['advance', 'hold', 'roll_back'] as const;
export const zDecisionAction = z.enum(DECISION_ACTIONS);
export type DecisionAction = z.infer<typeof zDecisionAction>;

export const zStageDecision = z.object({
  id: z.string(),
  decidedAt: zInstant,
  action: zDecisionAction,
  fromStage: zStageId,
  toStage: zStageId,
  actor: z.string(),
  reason: z.string(),
  /** The evidence recorded with the decision (GET /api/v1/stages/decisions?id=…); null for decisions recorded without one. */
  snapshotUrl: z.string().nullable().optional(),
});
export type StageDecision = z.infer<typeof zStageDecision>;

export const zBlastRadiusDeviceClass = z.object({
  /** The device class of the holder's most recent sign-in in the lookback, or `none` (no sign-in in it). */
  deviceClass: z.string(),
  /** Holders whose most recent sign-in was on this class. */
  holders: z.number().int().nonnegative(),
  /** Of those, holders with no successful passkey sign-in on any device class in the lookback. */
  atRisk: z.number().int().nonnegative(),
});
export type BlastRadiusDeviceClass = z.infer<typeof zBlastRadiusDeviceClass>;

export const BLAST_RADIUS_LOOKBACK_DAYS = 28;
/** The device-class bucket of holders with no sign-in at all in the lookback. */
export const NO_RECENT_SIGN_IN = 'none';

export const zBlastRadiusSummary = z.object({
  asOf: zInstant,
  lookbackDays: z.number().int().positive(),
  /** The environments read (`deployment.environment.name`): DEFAULT_ENVIRONMENT or the request's; empty = every environment. */
  environments: z.array(z.string()),
  /** Every holder at `asOf` (a live passkey), active or not. */
  holders: z.number().int().nonnegative(),
  /** Holders with no device class on which they signed in with a passkey in the lookback. */
  atRisk: z.number().int().nonnegative(),
  /** atRisk / holders; null without holders. */
  share: z.number().min(0).max(1).nullable(),
  /** Largest atRisk first. */
  byDeviceClass: z.array(zBlastRadiusDeviceClass),
  /** The at-risk user list as CSV. */
  csvUrl: z.string(),
});
export type BlastRadiusSummary = z.infer<typeof zBlastRadiusSummary>;

export const zCurrentStageInfo = z.object({
  currentStage: zStageId,
  /** Where the current stage comes from: the latest recorded decision, else the config's currentStage. */
  currentStageSource: z.enum(['decision_log', 'config']),
  /** When the current stage was entered (the decision that moved to it, else the config's stageEnteredAt); null if unknown. */
  stageEnteredAt: zInstant.nullable(),
  daysAtCurrentStage: z.number().nonnegative().nullable(),
});
export type CurrentStageInfo = z.infer<typeof zCurrentStageInfo>;

/** One criterion within one segment value. */
export const zSegmentCriterion = zJudgement.extend({
  id: z.string(),
  /** False when the criterion's own filters exclude this value (other device classes, the other risk tier): not counted. */
  applies: z.boolean(),
  measurement: zGateMeasurement,
});
export type SegmentCriterion = z.infer<typeof zSegmentCriterion>;

export const zStageSegmentValue = z.object({
  value: z.string(),
  transitions: z.array(
    z.object({
      from: zStageId,
      to: zStageId,
      /** The segment's own verdict over the criteria that apply: it informs, it does not decide the transition. */
      verdict: zTransitionVerdict,
      criteria: z.array(zSegmentCriterion),
    }),
  ),
});
export type StageSegmentValue = z.infer<typeof zStageSegmentValue>;

export const zStageSegmentsResult = z.object({
  dimension: zSegmentDimension,
  /** Where the values were found: the longest criterion window ending at `to`. */
  window: zTimeWindow,
  /** At most this many values (the most frequent). */
  maxValues: z.number().int().positive(),
  values: z.array(zStageSegmentValue),
  /** Per transition: its overall verdict and the values on which it fails or is inconclusive. */
  summaries: z.array(
    z.object({
      from: zStageId,
      to: zStageId,
      overall: zTransitionVerdict,
      failing: z.array(z.string()),
      inconclusive: z.array(z.string()),
    }),
  ),
});
export type StageSegmentsResult = z.infer<typeof zStageSegmentsResult>;

export const zStagesResponse = zCurrentStageInfo.extend({
  /** Every criterion's window ends here. */
  evaluatedAt: zInstant,
  configVersion: z.number().int(),
  /**
   * The environments every criterion read (`deployment.environment.name`): DEFAULT_ENVIRONMENT when
   * configured, so staging never moves a gate; empty = every environment.
   */
  environments: z.array(z.string()),
  /** `to` was given and lies in the past: an evaluation of an earlier moment. */
  pastEvaluation: z.boolean(),
  /**
   * Which configuration judged it: always the one in force now (`current`) — a past evaluation is the
   * past data judged by today's criteria, not the criteria of that day.
   */
  configUsed: z.literal('current'),
  /** For a past evaluation, the sentence saying so (shown on the page); null otherwise. */
  configNote: z.string().nullable(),
  trendWindows: z.number().int().nonnegative(),
  stages: z.array(zStageSummary),
  /** 1 → 2, 2 → 3, 3 → 4, 4 → 5. */
  transitions: z.array(zStageTransitionResult),
  blastRadius: zBlastRadiusSummary,
  /** Newest first. */
  decisions: z.array(zStageDecision),
  /** With `segment`: every criterion per value of the dimension; null otherwise. */
  segments: zStageSegmentsResult.nullable(),
});
export type StagesResponse = z.infer<typeof zStagesResponse>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/stages/decisions
// ---------------------------------------------------------------------------------------------

export const MAX_REASON_LENGTH = 2000;
export const MAX_ACTOR_LENGTH = 200;

/**
 * `stage` is the stage the decision leaves the rollout at: advance → current + 1, roll_back → a
 * lower stage, hold → the current stage. The route checks it against the current stage (400 otherwise).
 * The recorded actor is who called, never the body's word (DESIGN.md section 10): a token's
 * `token:<name>`; on an open local install (no API_TOKENS / ADMIN_TOKENS) `local`, followed by the
 * optional `actor` the person typed — unverified, and marked so.
 */
export const zDecisionBody = z.strictObject({
  action: zDecisionAction,
  stage: zStageId,
  actor: z.string().trim().max(MAX_ACTOR_LENGTH, `must be at most ${MAX_ACTOR_LENGTH} characters`).optional(),
  reason: z.string().trim().min(1, 'is required').max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`),
  /** The evaluation the decision was made on (its `evaluatedAt`); recorded as the decision's snapshot. Default: now. */
  evaluatedAt: zInstant.optional(),
});
export type DecisionBody = z.input<typeof zDecisionBody>;

export const zDecisionResponse = z.object({
  decision: zStageDecision,
  currentStage: zStageId,
});
export type DecisionResponse = z.infer<typeof zDecisionResponse>;

export const zDecisionsQuery = z.object({});

// ---------------------------------------------------------------------------------------------
// GET /api/v1/stages/blast-radius
// ---------------------------------------------------------------------------------------------

export const zBlastRadiusQuery = z.object({
  to: zStagesQuery.shape.to,
  format: z.enum(['json', 'csv']).default('json'),
  /** CSV only: `1` exports ids exactly as sent, without the `'` before formula-like cells. */
  raw: zCsvRaw,
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000).default(1000),
  /** `deployment.environment.name` list, or `*` for every environment; default DEFAULT_ENVIRONMENT when configured. */
  environment: zFilterParams.shape.environment,
});
export type BlastRadiusQuery = z.input<typeof zBlastRadiusQuery>;

export const zBlastRadiusUser = z.object({
  userId: z.string(),
  /** Device class of the most recent sign-in in the lookback, or `none`. */
  deviceClass: z.string(),
  lastSignInAt: zInstant.nullable(),
  lastSignInMethod: z.string().nullable(),
  liveCredentials: z.number().int().nonnegative(),
  /** Device classes the live passkeys were registered on. */
  credentialDeviceClasses: z.array(z.string()),
  /** The last successful passkey sign-in ever (older than the lookback), or null. */
  lastPasskeySignInAt: zInstant.nullable(),
});
export type BlastRadiusUser = z.infer<typeof zBlastRadiusUser>;

export const zBlastRadiusResponse = zBlastRadiusSummary.extend({
  /** At-risk holders, most recently active first, at most `limit`. */
  users: z.array(zBlastRadiusUser),
  limit: z.number().int().positive(),
});
export type BlastRadiusResponse = z.infer<typeof zBlastRadiusResponse>;
