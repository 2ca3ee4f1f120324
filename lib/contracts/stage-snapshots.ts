/**
 * GET /api/v1/stages/decisions?id=… — the evidence a stage decision was made on (docs/stage-gates.md,
 * "The decision log"): the evaluation shown when it was recorded, as stored with the decision.
 * Client-safe: imports no server module.
 */
import { z } from 'zod';
import { zGateMeasurement, zJudgement, zStageId, zTimeWindow, zTransitionVerdict, zValueUnit } from './stages';

const zInstant = z.iso.datetime();

/** GET /api/v1/stages/decisions?id=… — the evidence a decision was made on. */
export const zDecisionSnapshotQuery = z.object({ id: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters') });

export const zDecisionSnapshot = z.object({
  decisionId: z.string(),
  /** The evaluation shown when the decision was made: every window ended here. */
  evaluatedAt: zInstant,
  configVersion: z.number().int(),
  currentStage: zStageId,
  transitions: z.array(
    z.object({
      from: zStageId,
      to: zStageId,
      verdict: zTransitionVerdict,
      criteria: z.array(
        zJudgement.extend({
          id: z.string(),
          label: z.string(),
          unit: zValueUnit,
          perUnit: z.number().nullable(),
          comparator: z.enum(['gte', 'lte']),
          threshold: z.number(),
          minSample: z.number().int().nonnegative(),
          window: zTimeWindow,
          measurement: zGateMeasurement,
        }),
      ),
    }),
  ),
});
export type DecisionSnapshot = z.infer<typeof zDecisionSnapshot>;

export const zDecisionSnapshotResponse = z.object({
  decisionId: z.string(),
  /** Null when the decision was recorded without one (before snapshots existed). */
  snapshot: zDecisionSnapshot.nullable(),
});
export type DecisionSnapshotResponse = z.infer<typeof zDecisionSnapshotResponse>;
