/**
 * /api/v1/alerts — the alert rules (from the rollout config), their current state, recent
 * notifications and the webhook delivery history; silences; a test notification; one evaluation
 * now (docs/alerts.md). Shared with the browser: zod only.
 */
import { z } from 'zod';

export const ALERT_RULE_KINDS = [
  'stage_gate',
  'failure_spike',
  'recovery_load',
  'phishable_recoveries',
  'ingest_silence',
  'quarantine_share',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_EVENT_KINDS = ['firing', 'resolved', 'test'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Longest a silence may last. */
export const MAX_SILENCE_DAYS = 90;

const zInstant = z.iso.datetime();
const zLabels = z.record(z.string(), z.string());

export const zAlertsQuery = z.object({});

export const zFiringSeries = z.object({
  seriesKey: z.string(),
  labels: zLabels,
  since: zInstant,
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  summary: z.string(),
  /** A firing notice went out (false: held back by a silence or the cool-down). */
  notified: z.boolean(),
  silenced: z.boolean(),
});
export type FiringSeries = z.infer<typeof zFiringSeries>;

export const zAlertRuleState = z.object({
  id: z.string(),
  kind: z.enum(ALERT_RULE_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  enabled: z.boolean(),
  description: z.string(),
  cooldownMinutes: z.number().nonnegative(),
  /** The rule's settings as configured (thresholds, windows). */
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** `firing` when a series fires, `silenced` when the whole rule is muted, else `ok` (`disabled` when off). */
  state: z.enum(['ok', 'firing', 'silenced', 'disabled']),
  firing: z.array(zFiringSeries),
});
export type AlertRuleState = z.infer<typeof zAlertRuleState>;

export const zAlertEvent = z.object({
  id: z.string(),
  at: zInstant,
  ruleId: z.string(),
  seriesKey: z.string(),
  kind: z.enum(ALERT_EVENT_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  summary: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  labels: zLabels,
});
export type AlertEvent = z.infer<typeof zAlertEvent>;

export const zAlertDelivery = z.object({
  id: z.string(),
  at: zInstant,
  eventId: z.string(),
  ruleId: z.string(),
  kind: z.enum(ALERT_EVENT_KINDS),
  /** The webhook, redacted (its origin and a hash of the full URL). */
  target: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  status: z.enum(['delivered', 'failed']),
  attempts: z.number().int().nonnegative(),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});
export type AlertDelivery = z.infer<typeof zAlertDelivery>;

export const zAlertSilence = z.object({
  id: z.string(),
  ruleId: z.string(),
  /** Empty: the whole rule. */
  seriesKey: z.string(),
  createdAt: zInstant,
  until: zInstant,
  reason: z.string(),
  actor: z.string(),
  expiredAt: zInstant.nullable(),
  expiredBy: z.string().nullable(),
  active: z.boolean(),
});
export type AlertSilence = z.infer<typeof zAlertSilence>;

export const zAlertsResponse = z.object({
  /** ALERTS=on: this process evaluates on a schedule (when it holds the lease). */
  enabled: z.boolean(),
  intervalSeconds: z.number().positive(),
  lastEvaluation: z
    .object({ at: zInstant, durationMs: z.number().nonnegative(), error: z.string().nullable(), evaluated: z.boolean() })
    .nullable(),
  webhooks: z.array(z.object({ target: z.string(), format: z.enum(WEBHOOK_FORMATS) })),
  /** ALERT_WEBHOOK_SECRET is set: every notification carries an HMAC-SHA256 signature. */
  signed: z.boolean(),
  /** The rollout config is invalid: its problem (rules cannot be read; the defaults are not used). */
  configError: z.string().nullable(),
  rules: z.array(zAlertRuleState),
  events: z.array(zAlertEvent),
  /** Firing notices of the failure-spike rules in the last 90 days (at most 500, newest first): the Failures chart's markers. */
  spikeFirings: z.array(zAlertEvent),
  deliveries: z.array(zAlertDelivery),
  silences: z.array(zAlertSilence),
});
export type AlertsResponse = z.infer<typeof zAlertsResponse>;

export const zSilencesResponse = z.object({ silences: z.array(zAlertSilence) });
export type SilencesResponse = z.infer<typeof zSilencesResponse>;

export const zSilenceBody = z.strictObject({
  ruleId: z.string().trim().min(1).max(100),
  /** One series of the rule (as listed under `firing`); omit for the whole rule. */
  seriesKey: z.string().trim().max(500).default(''),
  /** Muted until (ISO-8601 date-time, in the future, at most 90 days ahead). */
  until: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1, 'say why the alert is muted').max(500),
  /** On an open local install only: the name to record (marked unverified); a token's name wins. */
  actor: z.string().trim().max(100).optional(),
});
export type SilenceBody = z.input<typeof zSilenceBody>;

export const zSilenceResponse = z.object({ silence: zAlertSilence });

export const zExpireSilenceBody = z.strictObject({ id: z.string().trim().min(1).max(100) });

export const zTestBody = z.strictObject({ message: z.string().trim().max(500).optional() });

export const zTestResponse = z.object({
  eventId: z.string(),
  results: z.array(
    z.object({
      target: z.string(),
      format: z.enum(WEBHOOK_FORMATS),
      status: z.enum(['delivered', 'failed']),
      attempts: z.number().int().nonnegative(),
      httpStatus: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
export type TestResponse = z.infer<typeof zTestResponse>;

export const zEvaluateBody = z.strictObject({});

export const zEvaluateResponse = z.object({
  /** False when another instance holds the evaluation lease. */
  evaluated: z.boolean(),
  holder: z.string(),
  firing: z.number().int().nonnegative(),
  notifications: z.number().int().nonnegative(),
  errors: z.array(z.string()),
});
export type EvaluateResponse = z.infer<typeof zEvaluateResponse>;
