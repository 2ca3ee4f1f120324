/**
 * The rollout config: the five stages, the current stage and the gate criteria of every
 * transition (DESIGN.md section 5). Versioned and zod-validated; the documented default lives in
 * config/rollout.default.json and docs/stage-gates.md explains every default.
 *
 * Why strict: a typo in a gate ("treshold", "0.95" as a string, a proportion of 95) would
 * otherwise silently change what "ready" means. Unknown keys are rejected, thresholds are
 * range-checked per metric kind, and every problem is reported with its path
 * (`transitions[0].criteria[2].threshold: Too big: expected number to be <=1`) at start.
 *
 * Server only: `loadRolloutConfig` reads the file system. Client code imports types only.
 */
import 'server-only';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '@/lib/env';
import { DEVICE_CLASSES, RISK_TIERS } from '@/lib/vocabulary';
import type { MeasurementKind } from '@/lib/stage-gates/verdict';
import { zAlertsConfig } from '@/lib/alerts/config';

// ---------------------------------------------------------------------------------------------
// Metrics a gate can name (the metric layer implements exactly these)
// ---------------------------------------------------------------------------------------------

export interface GateMetricSpec {
  id: string;
  /** How the metric is measured and judged (see lib/stage-gates/verdict.ts). */
  kind: MeasurementKind;
  /** Human label for the stage-gates page. */
  label: string;
  /** What the sample size counts (compared with a criterion's minSample); `null` for durations. */
  sampleUnit: string | null;
  /** Rates only: the value is per this many units of exposure. */
  perUnit?: number;
}

export const GATE_METRICS = [
  {
    id: 'registration_ceremony_success_rate',
    kind: 'proportion',
    label: 'Registration ceremony success rate',
    sampleUnit: 'registration ceremonies (successes + failures; cancels excluded)',
  },
  {
    id: 'holders_passkey_signin_success_rate',
    kind: 'proportion',
    label: "Holders' passkey sign-in success rate",
    sampleUnit: 'authentication ceremonies by passkey holders (successes + failures)',
  },
  {
    id: 'holders_recovery_rate_vs_non_holders',
    kind: 'rate_comparison',
    label: "Holders' recovery rate relative to non-holders' (ratio)",
    sampleUnit: 'recovery starts by holders and non-holders together',
  },
  {
    id: 'upsell_acceptance_rate',
    kind: 'proportion',
    label: 'Upsell acceptance rate',
    sampleUnit: 'upsells shown',
  },
  {
    id: 'holder_share_of_active_users',
    kind: 'proportion',
    label: 'Passkey holders among active users',
    sampleUnit: 'active users',
  },
  {
    id: 'passkey_tickets_per_1000_active_users',
    kind: 'rate',
    label: 'Passkey-related support tickets per 1,000 active users',
    sampleUnit: 'active users',
    perUnit: 1000,
  },
  {
    id: 'passkey_share_of_holder_signins',
    kind: 'proportion',
    label: "Passkey share of holders' sign-ins",
    sampleUnit: 'successful sign-ins by passkey holders',
  },
  {
    id: 'fallback_reliant_share_of_holders',
    kind: 'proportion',
    label: 'Fallback-reliant share of active holders',
    sampleUnit: 'active passkey holders',
  },
  {
    id: 'recovery_starts_per_1000_active_users_per_week',
    kind: 'rate',
    label: 'Recovery starts per 1,000 active users per week',
    sampleUnit: 'active users',
    perUnit: 1000,
  },
  {
    id: 'multi_device_coverage',
    kind: 'proportion',
    label: 'Multi-device coverage (active holders with ≥ 2 live passkeys)',
    sampleUnit: 'active passkey holders',
  },
  {
    id: 'days_at_current_stage',
    kind: 'duration',
    label: 'Days at the current stage',
    sampleUnit: null,
  },
  {
    id: 'high_risk_attested_device_bound_share',
    kind: 'proportion',
    label: 'High-risk users with an attested device-bound passkey',
    sampleUnit: 'high-risk active users',
  },
  {
    id: 'high_risk_two_attested_device_bound_share',
    kind: 'proportion',
    label: 'High-risk users with ≥ 2 attested device-bound passkeys (a spare key)',
    sampleUnit: 'high-risk active users',
  },
  {
    id: 'high_risk_phishable_recoveries',
    kind: 'count',
    label: 'Phishable recoveries by high-risk users',
    sampleUnit: 'high-risk active users',
  },
] as const satisfies readonly GateMetricSpec[];

export type GateMetricId = (typeof GATE_METRICS)[number]['id'];
export const GATE_METRIC_IDS = GATE_METRICS.map((metric) => metric.id) as [GateMetricId, ...GateMetricId[]];
export const zGateMetricId = z.enum(GATE_METRIC_IDS);

const METRICS_BY_ID = new Map<string, GateMetricSpec>(GATE_METRICS.map((metric) => [metric.id, metric]));

/** The spec of a gate metric: its kind, label and what its sample counts. */
export function gateMetric(id: GateMetricId): GateMetricSpec {
  const spec = METRICS_BY_ID.get(id);
  if (!spec) throw new RangeError(`unknown gate metric: ${id}`);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

export const DEFAULT_WINDOW_DAYS = 28;

const zStageId = z.number().int().min(1).max(5);

const zIsoDateOrDateTime = z
  .string()
  .refine(
    (value) => z.iso.date().safeParse(value).success || z.iso.datetime({ offset: true }).safeParse(value).success,
    'must be an ISO-8601 date or date-time, e.g. 2025-03-01 or 2025-03-01T09:00:00Z',
  );

export const zRolloutStage = z.strictObject({
  id: zStageId,
  name: z.string().trim().min(1),
  description: z.string().trim().min(1),
});
export type RolloutStage = z.infer<typeof zRolloutStage>;

export const zGateFilters = z.strictObject({
  deviceClass: z.array(z.enum(DEVICE_CLASSES)).min(1).optional(),
  riskTier: z.enum(RISK_TIERS).optional(),
});
export type GateFilters = z.infer<typeof zGateFilters>;

export const zGateCriterion = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (lowercase letters and digits joined by "-")'),
    metric: zGateMetricId,
    comparator: z.enum(['gte', 'lte']),
    threshold: z.number(),
    minSample: z.number().int().min(0),
    windowDays: z.number().int().min(1).max(400).default(DEFAULT_WINDOW_DAYS),
    perDeviceClass: z.boolean().optional(),
    filters: zGateFilters.optional(),
    description: z.string().trim().min(1).optional(),
  })
  .superRefine((criterion, ctx) => {
    const { kind } = gateMetric(criterion.metric);
    const threshold = criterion.threshold;
    const tooSmall = (minimum: number, inclusive = true) =>
      ctx.addIssue({ code: 'too_small', origin: 'number', minimum, inclusive, input: threshold, path: ['threshold'] });

    if (kind === 'proportion') {
      if (threshold < 0) tooSmall(0);
      if (threshold > 1) {
        ctx.addIssue({ code: 'too_big', origin: 'number', maximum: 1, inclusive: true, input: threshold, path: ['threshold'] });
      }
    } else if (kind === 'rate_comparison') {
      if (threshold <= 0) tooSmall(0, false);
    } else if (kind === 'count') {
      if (!Number.isInteger(threshold)) {
        ctx.addIssue({ code: 'custom', input: threshold, path: ['threshold'], message: 'a count threshold must be a whole number' });
      } else if (threshold < 0) tooSmall(0);
    } else if (threshold < 0) {
      tooSmall(0);
    }

    if (criterion.perDeviceClass && kind === 'duration') {
      ctx.addIssue({
        code: 'custom',
        input: criterion.perDeviceClass,
        path: ['perDeviceClass'],
        message: `${criterion.metric} is not measured per device class`,
      });
    }
  });
export type GateCriterion = z.infer<typeof zGateCriterion>;
/** A criterion as written in the file (windowDays may be omitted). */
export type GateCriterionInput = z.input<typeof zGateCriterion>;

export const zStageTransition = z
  .strictObject({
    from: z.number().int().min(1).max(4),
    to: zStageId,
    criteria: z.array(zGateCriterion).min(1),
  })
  .superRefine((transition, ctx) => {
    if (transition.to !== transition.from + 1) {
      ctx.addIssue({
        code: 'custom',
        input: transition.to,
        path: ['to'],
        message: `must be ${transition.from + 1}: a gate moves exactly one stage forward`,
      });
    }
    const firstIndexById = new Map<string, number>();
    transition.criteria.forEach((criterion, index) => {
      const first = firstIndexById.get(criterion.id);
      if (first === undefined) {
        firstIndexById.set(criterion.id, index);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        input: criterion.id,
        path: ['criteria', index, 'id'],
        message: `duplicate criterion id "${criterion.id}" (already used by criteria[${first}])`,
      });
    });
  });
export type StageTransition = z.infer<typeof zStageTransition>;

export const zExperimentConfig = z.strictObject({
  /** The `feature_flag.key` of the rollout flag. */
  flag: z.string().trim().min(1, 'must name the rollout flag (its feature_flag.key)'),
  /** Its control variant (`feature_flag.result.variant`); every other variant of the flag is a treatment. */
  control: z.string().trim().min(1, 'must name the control variant'),
});
export type ExperimentConfig = z.infer<typeof zExperimentConfig>;

export const zRolloutConfig = z
  .strictObject({
    version: z.literal(1),
    currentStage: zStageId,
    stageEnteredAt: zIsoDateOrDateTime.optional(),
    stages: z.array(zRolloutStage).length(5),
    transitions: z.array(zStageTransition),
    /** Alert rules: overrides of the documented defaults (lib/alerts/config.ts, docs/alerts.md). */
    alerts: zAlertsConfig.optional(),
    /** The rollout experiment (docs/stage-gates.md "The rollout experiment"): the flag and its control variant; the other variants are treatments. */
    experiment: zExperimentConfig.optional(),
  })
  .superRefine((config, ctx) => {
    config.stages.forEach((stage, index) => {
      if (stage.id !== index + 1) {
        ctx.addIssue({
          code: 'custom',
          input: stage.id,
          path: ['stages', index, 'id'],
          message: `expected ${index + 1}: stages are listed in order, 1 to 5`,
        });
      }
    });
    const seen = new Set<number>();
    config.transitions.forEach((transition, index) => {
      if (seen.has(transition.from)) {
        ctx.addIssue({
          code: 'custom',
          input: transition.from,
          path: ['transitions', index, 'from'],
          message: `duplicate transition ${transition.from} → ${transition.from + 1}`,
        });
      }
      seen.add(transition.from);
    });
    for (const from of [1, 2, 3, 4]) {
      if (!seen.has(from)) {
        ctx.addIssue({
          code: 'custom',
          input: config.transitions,
          path: ['transitions'],
          message: `missing the ${from} → ${from + 1} transition (every transition needs at least one criterion)`,
        });
      }
    }
  });
export type RolloutConfig = z.infer<typeof zRolloutConfig>;

/** The transition that leaves `stage`, or undefined at stage 5. */
export function transitionFrom(config: RolloutConfig, stage: number): StageTransition | undefined {
  return config.transitions.find((transition) => transition.from === stage);
}

/**
 * The longest window of the configuration's measured criteria (a duration criterion measures no
 * window); 0 when it has none. Where segment values are looked for, how far back a trend reaches.
 */
export function longestWindowDays(config: Pick<RolloutConfig, 'transitions'>): number {
  const days = config.transitions.flatMap((transition) =>
    transition.criteria.filter((criterion) => criterion.metric !== 'days_at_current_stage').map((criterion) => criterion.windowDays),
  );
  return Math.max(0, ...days);
}

// ---------------------------------------------------------------------------------------------
// Parsing and loading
// ---------------------------------------------------------------------------------------------

export class RolloutConfigError extends ConfigError {
  override name = 'RolloutConfigError';
  constructor(
    message: string,
    /** One line per problem, `path: message`. Empty for read and JSON syntax errors. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

/** `['transitions', 0, 'criteria', 2, 'threshold']` → `transitions[0].criteria[2].threshold`. */
export function formatConfigPath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of issuePath) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Validate a parsed JSON value as a rollout config; throws a RolloutConfigError listing every bad field. */
export function parseRolloutConfig(json: unknown, source?: string): RolloutConfig {
  const result = zRolloutConfig.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${formatConfigPath(issue.path)}: ${issue.message}`);
  const where = source ? ` in ${source}` : '';
  throw new RolloutConfigError(`Invalid rollout config${where}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`, problems);
}

export const DEFAULT_ROLLOUT_CONFIG_PATH = 'config/rollout.default.json';

/**
 * The config file to read: the explicit path, else `ROLLOUT_CONFIG`, else the default file.
 * Relative paths resolve against the working directory (the project root under `npm start`).
 */
export function resolveRolloutConfigPath(
  explicitPath?: string,
  source: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const chosen = explicitPath || source.ROLLOUT_CONFIG || DEFAULT_ROLLOUT_CONFIG_PATH;
  return path.resolve(/*turbopackIgnore: true*/ chosen);
}

/** Read and validate the rollout config (see resolveRolloutConfigPath for which file). */
export function loadRolloutConfig(configPath?: string): RolloutConfig {
  const file = resolveRolloutConfigPath(configPath);
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RolloutConfigError(
      `Cannot read rollout config ${file}: ${reason}. Set ROLLOUT_CONFIG to a readable JSON file, or unset it to use ${DEFAULT_ROLLOUT_CONFIG_PATH}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RolloutConfigError(`Rollout config ${file} is not valid JSON: ${reason}`);
  }
  return parseRolloutConfig(json, file);
}
