/**
 * Stored daily stage-gate evaluations, the pure part (docs/stage-gates.md "History"): which days
 * the history covers, when a day has settled, when a stored evaluation is outdated by late data,
 * which days the background pass evaluates next, the rows one evaluation stores, and the history
 * response built from stored rows. No I/O (lib/stage-gates/history-pass.ts and history-store.ts do
 * the storage).
 *
 * The rules
 * - Day D (UTC) is evaluated as of its end, `to` = D + 1 day 00:00 UTC, with the evaluator of the
 *   live page (evaluate.ts, no trend) and the stage state as of `to`.
 * - A day settles SETTLE_MS after its end: a ceremony is judged from its events up to two hours
 *   after its first one (docs/metrics.md), so until then normal traffic still changes the day.
 *   Unsettled days are not evaluated.
 * - An evaluation records its watermark: every event received before it was visible to it. It is
 *   outdated when an event with timestamp t was received at or after its watermark and
 *   toDate(t − 2 h) ≤ D (the event can move a ceremony, a holder, a window of that day), or an
 *   erasure started at or after it (it changes every day). Outdated days are evaluated again.
 * - It answers the configuration it was made with (`configFingerprint`: the transitions, the
 *   configured stage and entry date, the default environment). Under another configuration the day
 *   counts as not evaluated until the pass has evaluated it again.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import { DEFAULT_TREND_WINDOWS, type GateMeasurementValue, type StageTransitionResult } from '@/lib/contracts/stages';
import type { DayState, HistoryCriterionPoint, HistoryTransition, StageHistoryResponse } from '@/lib/contracts/stage-history';
import { gateMetric, longestWindowDays, type RolloutConfig } from './config';
import { UNIT_OF_KIND } from './evaluate';
import { DAY_MS } from './stage-state';
import { CRITERION_STATUSES, TRANSITION_VERDICTS, type CriterionStatus, type TransitionVerdict } from './verdict';

/** The days shown: the last 90 complete UTC days. */
export const HISTORY_DAYS = 90;
/** How many days before the oldest default trend window's end the pass also keeps: evaluations as of the last two weeks. */
const TREND_SLACK_DAYS = 15;
/** Never more than a year and a day of evaluations, whatever a criterion's window (up to 400 days). */
const MAX_STORED_DAYS = 366;

/**
 * The days the pass keeps evaluated: the 90 shown, and further back as far as the default trend of
 * an evaluation reaches (DEFAULT_TREND_WINDOWS previous windows of the longest measured window, as
 * of any time in the last two weeks), so that every point of that trend is read from a stored day
 * instead of measured (history-service.ts, storedJudgements). At the default configuration (28-day
 * windows, 6 previous windows): 6 × 28 + 15 = 183 days.
 */
export function storedDays(config: Pick<RolloutConfig, 'transitions'>): number {
  return Math.min(MAX_STORED_DAYS, Math.max(HISTORY_DAYS, DEFAULT_TREND_WINDOWS * longestWindowDays(config) + TREND_SLACK_DAYS));
}
/** How far after its first event a ceremony's events still count (docs/metrics.md). */
export const CEREMONY_REACH_MS = 2 * 3_600_000;
/** A day is evaluated once it ended this long ago: the ceremony reach and a quarter of an hour for delivery. */
export const SETTLE_MS = CEREMONY_REACH_MS + 15 * 60_000;

/** YYYY-MM-DD of the UTC day holding `ms`. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Where every window of day D's evaluation ends: D + 1 day, 00:00 UTC. */
export function evaluationTo(day: string): Date {
  return new Date(dayStartMs(day) + DAY_MS);
}

/** The `count` complete UTC days before `now`'s day, oldest first (yesterday last). */
export function historyDays(now: number, count: number): string[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const days: string[] = [];
  for (let k = count; k >= 1; k--) days.push(utcDay(today - k * DAY_MS));
  return days;
}

export function isSettled(day: string, now: number): boolean {
  return evaluationTo(day).getTime() + SETTLE_MS <= now;
}

/** What decides the answers of a stored evaluation besides the data: a change evaluates every day again. */
export function configFingerprint(
  config: Pick<RolloutConfig, 'currentStage' | 'stageEnteredAt' | 'transitions'>,
  environment: string | undefined,
): string {
  const material = JSON.stringify({
    currentStage: config.currentStage,
    stageEnteredAt: config.stageEnteredAt ?? null,
    transitions: config.transitions,
    environment: environment ?? null,
  });
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

/** The newest stored evaluation of a day. */
export interface StoredRun {
  day: string;
  evaluatedAtMs: number;
  watermarkMs: number;
  configFingerprint: string;
}

/** Data received since some instant that can change every day from `day` on (1970-01-01 for an erasure). */
export interface LateData {
  day: string;
  lastReceivedMs: number;
}

export function dayState(run: StoredRun | undefined, fingerprint: string, late: readonly LateData[]): DayState {
  if (!run || run.configFingerprint !== fingerprint) return 'not_evaluated';
  return late.some((entry) => entry.day <= run.day && entry.lastReceivedMs >= run.watermarkMs) ? 'outdated' : 'evaluated';
}

/** Where to look for late data: the oldest watermark among current evaluations; null when there is none. */
export function lateDataSince(runs: readonly StoredRun[], fingerprint: string): Date | null {
  const watermarks = runs.filter((run) => run.configFingerprint === fingerprint).map((run) => run.watermarkMs);
  return watermarks.length > 0 ? new Date(Math.min(...watermarks)) : null;
}

/** The settled days of the last `days` that need an evaluation (missing or outdated), newest first, at most `limit`. */
export function daysToEvaluate(
  now: number,
  runs: readonly StoredRun[],
  fingerprint: string,
  late: readonly LateData[],
  limit: number,
  days: number = HISTORY_DAYS,
): string[] {
  const runOf = new Map(runs.map((run) => [run.day, run]));
  return historyDays(now, days)
    .filter((day) => isSettled(day, now) && dayState(runOf.get(day), fingerprint, late) !== 'evaluated')
    .reverse()
    .slice(0, limit);
}

/** One stored row (migration 0012), in the insert's column names. */
export interface GateEvaluationInsertRow {
  day: string;
  from_stage: number;
  to_stage: number;
  criterion_id: string;
  metric: string;
  transition_verdict: string;
  status: string;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  sample_size: number | null;
  measurement: string;
  device_class: string;
  config_version: number;
  config_fingerprint: string;
  evaluated_at: string;
  watermark: string;
}

function clickHouseTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The rows one evaluation of `day` stores: one per transition and criterion. */
export function evaluationRows(
  day: string,
  transitions: readonly StageTransitionResult[],
  meta: { configVersion: number; configFingerprint: string; evaluatedAtMs: number; watermarkMs: number },
): GateEvaluationInsertRow[] {
  return transitions.flatMap((transition) =>
    transition.criteria.map((criterion) => ({
      day,
      from_stage: transition.from,
      to_stage: transition.to,
      criterion_id: criterion.id,
      metric: criterion.metric,
      transition_verdict: transition.verdict,
      status: criterion.status,
      value: criterion.value,
      ci_low: criterion.ciLow,
      ci_high: criterion.ciHigh,
      sample_size: criterion.sampleSize,
      measurement: JSON.stringify(criterion.measurement satisfies GateMeasurementValue),
      device_class: criterion.deviceClass ?? '',
      config_version: meta.configVersion,
      config_fingerprint: meta.configFingerprint,
      evaluated_at: clickHouseTime(meta.evaluatedAtMs),
      watermark: clickHouseTime(meta.watermarkMs),
    })),
  );
}

/** A stored row as read back (sql/queries/gate-evaluations.ts). */
export interface StoredEvaluationRow {
  day: string;
  fromStage: number;
  criterionId: string;
  transitionVerdict: string;
  status: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  sampleSize: number | null;
  configFingerprint: string;
  evaluatedAtMs: number;
  watermarkMs: number;
}

export function asStatus(value: string): CriterionStatus {
  return (CRITERION_STATUSES as readonly string[]).includes(value) ? (value as CriterionStatus) : 'insufficient_data';
}

function asVerdict(value: string): TransitionVerdict {
  return (TRANSITION_VERDICTS as readonly string[]).includes(value) ? (value as TransitionVerdict) : 'insufficient_data';
}

/**
 * The history response from the stored rows of the days' newest evaluations and the late data
 * since their oldest watermark. Per transition, the criteria of the configuration in force; a day
 * whose evaluation is missing or was made under another configuration carries no values.
 */
export function buildHistory(input: {
  config: RolloutConfig;
  fingerprint: string;
  now: number;
  days: number;
  rows: readonly StoredEvaluationRow[];
  late: readonly LateData[];
}): StageHistoryResponse {
  const days = historyDays(input.now, input.days);
  const byDay = new Map<string, StoredEvaluationRow[]>();
  for (const row of input.rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  const stateOf = new Map<string, DayState>();
  for (const day of days) {
    const first = byDay.get(day)?.[0];
    const run = first && {
      day,
      evaluatedAtMs: first.evaluatedAtMs,
      watermarkMs: first.watermarkMs,
      configFingerprint: first.configFingerprint,
    };
    stateOf.set(day, dayState(run, input.fingerprint, input.late));
  }
  const ordered = [...input.config.transitions].sort((a, b) => a.from - b.from);
  const transitions: HistoryTransition[] = ordered.map((transition) => ({
    from: transition.from,
    to: transition.to,
    criteria: transition.criteria.map((criterion) => {
      const spec = gateMetric(criterion.metric);
      return {
        id: criterion.id,
        metric: criterion.metric,
        label: spec.kind === 'duration' ? `Days at stage ${transition.from}` : spec.label,
        unit: UNIT_OF_KIND[spec.kind],
        perUnit: spec.perUnit ?? null,
        comparator: criterion.comparator,
        threshold: criterion.threshold,
      };
    }),
    days: days.map((day) => {
      const state = stateOf.get(day) ?? 'not_evaluated';
      const stored = (byDay.get(day) ?? []).filter((row) => row.fromStage === transition.from);
      const rowOf = new Map(stored.map((row) => [row.criterionId, row]));
      const complete = transition.criteria.every((criterion) => rowOf.has(criterion.id));
      const base = { day, evaluationTo: evaluationTo(day).toISOString() };
      if (state === 'not_evaluated' || !complete || stored.length === 0) {
        return { ...base, state: 'not_evaluated' as const, evaluatedAt: null, verdict: null, criteria: [] };
      }
      const criteria: HistoryCriterionPoint[] = transition.criteria.map((criterion) => {
        const row = rowOf.get(criterion.id) as StoredEvaluationRow;
        return {
          id: criterion.id,
          value: row.value,
          ciLow: row.ciLow,
          ciHigh: row.ciHigh,
          sampleSize: row.sampleSize,
          status: asStatus(row.status),
        };
      });
      return {
        ...base,
        state,
        evaluatedAt: new Date((stored[0] as StoredEvaluationRow).evaluatedAtMs).toISOString(),
        verdict: asVerdict((stored[0] as StoredEvaluationRow).transitionVerdict),
        criteria,
      };
    }),
  }));
  const settled = days.filter((day) => isSettled(day, input.now));
  const states = days.map((day) => transitions[0]?.days.find((entry) => entry.day === day)?.state ?? stateOf.get(day));
  return {
    days: input.days,
    firstDay: days[0] as string,
    lastDay: days.at(-1) as string,
    settledThrough: settled.at(-1) ?? null,
    configVersion: input.config.version,
    counts: {
      evaluated: states.filter((state) => state === 'evaluated').length,
      outdated: states.filter((state) => state === 'outdated').length,
      notEvaluated: states.filter((state) => state === 'not_evaluated').length,
    },
    transitions,
  };
}
