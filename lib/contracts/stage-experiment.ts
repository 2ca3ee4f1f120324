/**
 * GET /api/v1/stages/experiment — the rollout experiment (DESIGN.md section 11; docs/stage-gates.md
 * "The rollout experiment"): the configured flag's treatment arm against its control variant, for
 * every proportion and rate criterion of the stage gates. Client-safe.
 */
import { z } from 'zod';
import { zGateMeasurement, zStageId, zStagesQuery } from './stages';

const zInstant = z.iso.datetime();

export const zExperimentQuery = z.object({ to: zStagesQuery.shape.to });
export type ExperimentQuery = z.input<typeof zExperimentQuery>;

export const EXPERIMENT_OUTCOMES = ['treatment_better', 'treatment_worse', 'no_difference', 'insufficient_data'] as const;

/** One arm of a comparison: its value, the counts behind it and its sample (trials, or active users for a rate). */
export const zExperimentArm = z.object({
  value: z.number().nullable(),
  sampleSize: z.number().nonnegative(),
  measurement: zGateMeasurement,
});

export const zExperimentComparison = z.object({
  from: zStageId,
  to: zStageId,
  criterionId: z.string(),
  label: z.string(),
  metric: z.string(),
  kind: z.enum(['proportion', 'rate']),
  /** For a rate: per how many users (1,000). */
  perUnit: z.number().positive().nullable(),
  window: z.object({ from: zInstant, to: zInstant }),
  /** From the criterion's comparator: `gte` wants the value higher, `lte` lower. */
  better: z.enum(['higher', 'lower']),
  minSample: z.number().int().nonnegative(),
  control: zExperimentArm,
  treatment: zExperimentArm,
  /** Proportions: treatment − control; rates: treatment ÷ control. */
  effect: z.enum(['difference', 'ratio']),
  estimate: z.number().nullable(),
  ciLow: z.number().nullable(),
  /** Infinity (a rate ratio without control events) is sent as null. */
  ciHigh: z.number().nullable(),
  pValue: z.number().min(0).max(1).nullable(),
  outcome: z.enum(EXPERIMENT_OUTCOMES),
});
export type ExperimentComparison = z.infer<typeof zExperimentComparison>;

export const zExperimentResponse = z.discriminatedUnion('configured', [
  z.object({ configured: z.literal(false), evaluatedAt: zInstant }),
  z.object({
    configured: z.literal(true),
    evaluatedAt: zInstant,
    configVersion: z.number().int(),
    flag: z.string(),
    control: z.string(),
    /** The flag's other variants seen before `evaluatedAt`, most users first. */
    treatments: z.array(z.string()),
    /** Users exposed before `evaluatedAt`: to control, to a treatment, to both (counted in each arm). */
    exposed: z.object({ control: z.number().int(), treatment: z.number().int(), both: z.number().int() }),
    alpha: z.number(),
    environments: z.array(z.string()),
    comparisons: z.array(zExperimentComparison),
  }),
]);
export type ExperimentResponse = z.infer<typeof zExperimentResponse>;
