/**
 * GET /api/v1/stages/history — the stored daily stage-gate evaluations (DESIGN.md section 11;
 * docs/stage-gates.md "History"): per transition, per UTC day of the last `days`, the verdict and
 * every criterion's value, interval, sample and status as of the end of that day. Days not (yet)
 * evaluated say so and carry no values. Client-safe: imports no server module.
 */
import { z } from 'zod';
import { zCriterionStatus, zStageId, zTransitionVerdict, zValueUnit } from './stages';

export const MAX_HISTORY_DAYS = 90;

export const zStageHistoryQuery = z.object({
  /** How many UTC days, ending yesterday (the last complete day). */
  days: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_HISTORY_DAYS, `must be at most ${MAX_HISTORY_DAYS} (the days stored)`)
    .default(MAX_HISTORY_DAYS),
});
export type StageHistoryQuery = z.input<typeof zStageHistoryQuery>;

/**
 * - `evaluated`: the stored evaluation is current (no data that can change it arrived since).
 * - `outdated`: late data or an erasure changed the day after it was evaluated; the values shown are
 *   the stored ones and the background pass is re-evaluating it.
 * - `not_evaluated`: nothing stored for the configuration in force (not reached yet by the
 *   backfill, the day has not settled yet, or the configuration changed since): no values.
 */
export const DAY_STATES = ['evaluated', 'outdated', 'not_evaluated'] as const;
export const zDayState = z.enum(DAY_STATES);
export type DayState = z.infer<typeof zDayState>;

export const zHistoryCriterionPoint = z.object({
  id: z.string(),
  value: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  sampleSize: z.number().nullable(),
  status: zCriterionStatus,
});
export type HistoryCriterionPoint = z.infer<typeof zHistoryCriterionPoint>;

export const zHistoryDay = z.object({
  /** The UTC day (YYYY-MM-DD); evaluated as of its end, `evaluationTo`. */
  day: z.iso.date(),
  /** Every window of this day's evaluation ends here: the next day, 00:00 UTC. */
  evaluationTo: z.iso.datetime(),
  state: zDayState,
  /** When the stored evaluation ran; null when not evaluated. */
  evaluatedAt: z.iso.datetime().nullable(),
  /** Null when not evaluated. */
  verdict: zTransitionVerdict.nullable(),
  /** One per criterion of the configuration in force, in its order; empty when not evaluated. */
  criteria: z.array(zHistoryCriterionPoint),
});
export type HistoryDay = z.infer<typeof zHistoryDay>;

export const zHistoryCriterionInfo = z.object({
  id: z.string(),
  metric: z.string(),
  label: z.string(),
  unit: zValueUnit,
  perUnit: z.number().nullable(),
  comparator: z.enum(['gte', 'lte']),
  threshold: z.number(),
});
export type HistoryCriterionInfo = z.infer<typeof zHistoryCriterionInfo>;

export const zHistoryTransition = z.object({
  from: zStageId,
  to: zStageId,
  criteria: z.array(zHistoryCriterionInfo),
  /** Oldest first. */
  days: z.array(zHistoryDay),
});
export type HistoryTransition = z.infer<typeof zHistoryTransition>;

export const zStageHistoryResponse = z.object({
  days: z.number().int().positive(),
  firstDay: z.iso.date(),
  lastDay: z.iso.date(),
  /** The newest day the background pass evaluates now (a day settles 2 h 15 min after it ends); null if none in range. */
  settledThrough: z.iso.date().nullable(),
  configVersion: z.number().int(),
  /** Days counted by state (per day, not per transition). */
  counts: z.object({ evaluated: z.number().int(), outdated: z.number().int(), notEvaluated: z.number().int() }),
  transitions: z.array(zHistoryTransition),
});
export type StageHistoryResponse = z.infer<typeof zStageHistoryResponse>;
