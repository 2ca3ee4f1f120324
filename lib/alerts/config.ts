/**
 * Alert rules: the `alerts` section of the rollout config (lib/stage-gates/config.ts,
 * config/rollout.default.json; docs/alerts.md "Rules"). The built-in rules below are the documented
 * defaults; the file's `alerts.rules` entries override them field by field by `id` (an entry with a
 * new id and a `kind` adds a rule), and `alerts.defaults` sets the cool-down and severity of every
 * rule that does not name its own. Every merged rule is validated strictly, with its path.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from '@/lib/contracts/alerts';

const zRuleId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (lowercase letters and digits joined by "-")');
const zPValue = z.number().gt(0).max(0.5);
const common = {
  id: zRuleId,
  enabled: z.boolean(),
  severity: z.enum(ALERT_SEVERITIES),
  /** After a firing notice, the same series does not notify firing again for this long. */
  cooldownMinutes: z.number().min(0).max(10_080),
  /** Shown on the page and in notifications; default: generated from the settings (describeRule). */
  description: z.string().trim().min(1).max(500).optional(),
};

export const zAlertRule = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('stage_gate'),
    /** `next`: only the transition leaving the current stage; `all`: every transition. */
    transitions: z.enum(['next', 'all']),
    /** Also fire per criterion while it fails. */
    criteria: z.boolean(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('failure_spike'),
    /** `failure_rate`: failures ÷ (successes + failures) per device class; `reason`: per device class and failure reason. */
    measure: z.enum(['failure_rate', 'reason']),
    ceremonyType: z.enum(['authentication', 'registration', 'all']),
    /** The recent window: the last hour or the last day. */
    window: z.enum(['hour', 'day']),
    baselineDays: z.number().int().min(1).max(28),
    /** Fewer failures than this in the recent window never fire. */
    minCount: z.number().int().min(1),
    /** The recent rate must be at least this many times the baseline's. */
    minRatio: z.number().min(1),
    /** One-sided two-proportion z-test: fire when p < pValue. */
    pValue: zPValue,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('recovery_load'),
    windowMinutes: z.number().positive().max(40_320),
    /** Recoveries started per 1,000 active users in the window. */
    maxPer1000ActiveUsers: z.number().min(0),
    minRecoveries: z.number().int().min(1),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('phishable_recoveries'),
    windowMinutes: z.number().positive().max(40_320),
    /** `high`: only recoveries by high-risk accounts. */
    riskTier: z.enum(['any', 'high']),
    /** Fire when more phishable recoveries than this started in the window (0: any). */
    maxCount: z.number().int().min(0),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('ingest_silence'),
    /** A service / environment that sent nothing for this long fires. */
    silentMinutes: z.number().positive().max(10_080),
    /** Sources are watched for this long after their last event. */
    watchHours: z.number().positive().max(2_160),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('quarantine_share'),
    window: z.enum(['hour', 'day']),
    baselineDays: z.number().int().min(1).max(14),
    /** Fewer rejected records than this in the recent window never fire. */
    minCount: z.number().int().min(1),
    /** Fire when the rejected share (rejected ÷ received) of a service is above this … */
    maxShare: z.number().min(0).max(1),
    /** … and, when there is a baseline, significantly above it (p < pValue). */
    pValue: zPValue,
  }),
]);
export type AlertRule = z.infer<typeof zAlertRule>;
export type AlertRuleOf<K extends AlertRule['kind']> = Extract<AlertRule, { kind: K }>;

type RuleWithoutDefaults = {
  [K in AlertRule['kind']]: Omit<AlertRuleOf<K>, 'severity' | 'cooldownMinutes' | 'enabled'> & Partial<AlertRule>;
}[AlertRule['kind']];

/** The documented defaults (docs/alerts.md, "Rules"). */
export const DEFAULT_ALERT_RULES: readonly RuleWithoutDefaults[] = [
  {
    id: 'gate-verdict',
    kind: 'stage_gate',
    transitions: 'next',
    criteria: true,
  },
  {
    id: 'failure-rate-spike',
    kind: 'failure_spike',
    measure: 'failure_rate',
    ceremonyType: 'all',
    window: 'hour',
    baselineDays: 7,
    minCount: 20,
    minRatio: 2,
    pValue: 0.001,
  },
  {
    id: 'failure-reason-spike',
    kind: 'failure_spike',
    measure: 'reason',
    ceremonyType: 'all',
    window: 'hour',
    baselineDays: 7,
    minCount: 20,
    minRatio: 3,
    pValue: 0.001,
  },
  {
    id: 'recovery-load',
    kind: 'recovery_load',
    windowMinutes: 1440,
    maxPer1000ActiveUsers: 20,
    minRecoveries: 20,
  },
  {
    id: 'phishable-recoveries',
    kind: 'phishable_recoveries',
    windowMinutes: 1440,
    riskTier: 'any',
    maxCount: 50,
  },
  {
    id: 'high-risk-phishable-recovery',
    kind: 'phishable_recoveries',
    windowMinutes: 1440,
    riskTier: 'high',
    maxCount: 0,
    severity: 'critical',
  },
  {
    id: 'ingest-silence',
    kind: 'ingest_silence',
    silentMinutes: 30,
    watchHours: 168,
  },
  {
    id: 'quarantine-share',
    kind: 'quarantine_share',
    window: 'hour',
    baselineDays: 7,
    minCount: 20,
    maxShare: 0.05,
    pValue: 0.001,
  },
];

export const DEFAULT_COOLDOWN_MINUTES = 60;
export const DEFAULT_SEVERITY: AlertSeverity = 'warning';

const zDefaults = z.strictObject({
  cooldownMinutes: common.cooldownMinutes.optional(),
  severity: common.severity.optional(),
});

/** The `alerts` section as written: defaults, and rule entries that override or add rules by id. */
export const zAlertsConfig = z
  .strictObject({
    defaults: zDefaults.optional(),
    rules: z.array(z.looseObject({ id: zRuleId })).default([]),
  })
  .transform((input, ctx) => {
    const defaults = {
      enabled: true,
      severity: input.defaults?.severity ?? DEFAULT_SEVERITY,
      cooldownMinutes: input.defaults?.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
    };
    const rules: AlertRule[] = [];
    const overrides = new Map<string, { entry: Record<string, unknown>; index: number }>();
    input.rules.forEach((entry, index) => {
      if (overrides.has(entry.id)) {
        ctx.addIssue({ code: 'custom', input: entry.id, path: ['rules', index, 'id'], message: `duplicate rule id "${entry.id}"` });
      }
      overrides.set(entry.id, { entry, index });
    });
    const check = (merged: Record<string, unknown>, index: number | undefined) => {
      const result = zAlertRule.safeParse(merged);
      if (result.success) return rules.push(result.data);
      for (const issue of result.error.issues) {
        ctx.addIssue({
          code: 'custom',
          input: merged,
          path: index === undefined ? ['rules'] : ['rules', index, ...issue.path],
          message: issue.message,
        });
      }
    };
    for (const rule of DEFAULT_ALERT_RULES) {
      const override = overrides.get(rule.id);
      overrides.delete(rule.id);
      if (override && override.entry.kind !== undefined && override.entry.kind !== rule.kind) {
        ctx.addIssue({
          code: 'custom',
          input: override.entry.kind,
          path: ['rules', override.index, 'kind'],
          message: `rule "${rule.id}" is a ${rule.kind} rule: leave kind out to override it, or use a new id`,
        });
        continue;
      }
      check({ ...defaults, ...rule, ...override?.entry }, override?.index);
    }
    for (const { entry, index } of overrides.values()) {
      if (entry.kind === undefined) {
        ctx.addIssue({
          code: 'custom',
          input: entry,
          path: ['rules', index, 'kind'],
          message: `"${entry.id}" is not a default rule: a new rule needs a kind`,
        });
        continue;
      }
      check({ ...defaults, ...entry }, index);
    }
    return { rules };
  });
export type AlertsConfig = z.output<typeof zAlertsConfig>;

/** The rules in force: the config's `alerts` section resolved, or the defaults when it has none. */
export function alertRulesOf(config: { alerts?: AlertsConfig | undefined }): AlertRule[] {
  return config.alerts?.rules ?? zAlertsConfig.parse({}).rules;
}

const windowText = (minutes: number) =>
  minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;

/** The rule's description, or one generated from its settings. */
export function describeRule(rule: AlertRule): string {
  if (rule.description) return rule.description;
  switch (rule.kind) {
    case 'stage_gate':
      return `${rule.transitions === 'next' ? 'The next stage gate' : 'A stage gate'} goes from ready to not ready (resolved when ready again)${rule.criteria ? ', or one of its criteria fails' : ''}.`;
    case 'failure_spike': {
      const what = rule.measure === 'reason' ? 'One failure reason in a device class' : 'The failure rate of a device class';
      const type = rule.ceremonyType === 'all' ? 'passkey ceremonies' : `${rule.ceremonyType} ceremonies`;
      return `${what} (${type}) in the last ${rule.window} is at least ${rule.minRatio}× its trailing ${rule.baselineDays}-day rate (p < ${rule.pValue}, ≥ ${rule.minCount} failures).`;
    }
    case 'recovery_load':
      return `More than ${rule.maxPer1000ActiveUsers} account recoveries per 1,000 active users started in the last ${windowText(rule.windowMinutes)} (at least ${rule.minRecoveries}).`;
    case 'phishable_recoveries':
      return rule.maxCount === 0
        ? `A${rule.riskTier === 'high' ? ' high-risk account' : 'n account'} recovered by a phishable method in the last ${windowText(rule.windowMinutes)}.`
        : `More than ${rule.maxCount} recoveries by a phishable method${rule.riskTier === 'high' ? ' by high-risk accounts' : ''} started in the last ${windowText(rule.windowMinutes)}.`;
    case 'ingest_silence':
      return `A service / environment that sent events in the last ${rule.watchHours} h has sent nothing for ${rule.silentMinutes} min.`;
    case 'quarantine_share':
      return `More than ${rule.maxShare * 100} % of a service's records in the last ${rule.window} were rejected (≥ ${rule.minCount}), significantly more than over the trailing ${rule.baselineDays} days.`;
  }
}

/** A rule's settings for display: every field but the common ones. */
export function ruleSettings(rule: AlertRule): Record<string, string | number | boolean> {
  const {
    id: _id,
    kind: _kind,
    enabled: _enabled,
    severity: _severity,
    cooldownMinutes: _cooldown,
    description: _description,
    ...rest
  } = rule;
  return rest as Record<string, string | number | boolean>;
}
