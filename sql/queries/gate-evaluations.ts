/**
 * The stored daily stage-gate evaluations of [fromDay, toDay] (migration 0012): for each day, the
 * rows of its newest evaluation only (one per transition and criterion), oldest day first. Older
 * evaluations of a day — before late data, or under another configuration — are never read.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

export const zGateEvaluationRow = z.object({
  day: z.string(),
  fromStage: z.number().int(),
  toStage: z.number().int(),
  criterionId: z.string(),
  metric: z.string(),
  transitionVerdict: z.string(),
  status: z.string(),
  value: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  sampleSize: z.number().nullable(),
  measurement: z.string(),
  deviceClass: z.string(),
  configVersion: z.number().int(),
  configFingerprint: z.string(),
  evaluatedAtMs: z.number(),
  watermarkMs: z.number(),
});
export type GateEvaluationRow = z.infer<typeof zGateEvaluationRow>;

export const gateEvaluations = defineQuery({
  name: 'gate-evaluations',
  params: z.object({ fromDay: z.string(), toDay: z.string() }),
  row: zGateEvaluationRow,
  sql: sql`
    SELECT toString(day) AS day, from_stage AS fromStage, to_stage AS toStage, criterion_id AS criterionId, toString(metric) AS metric,
           toString(transition_verdict) AS transitionVerdict, toString(status) AS status,
           value, ci_low AS ciLow, ci_high AS ciHigh, sample_size AS sampleSize, measurement, device_class AS deviceClass,
           config_version AS configVersion, config_fingerprint AS configFingerprint,
           toUnixTimestamp64Milli(evaluated_at) AS evaluatedAtMs, toUnixTimestamp64Milli(watermark) AS watermarkMs
    FROM (
      SELECT * FROM gate_evaluations
      WHERE day BETWEEN {fromDay:Date} AND {toDay:Date}
        AND (day, evaluated_at) IN (
          SELECT day, max(evaluated_at) FROM gate_evaluations
          WHERE day BETWEEN {fromDay:Date} AND {toDay:Date}
          GROUP BY day
        )
    )
    ORDER BY day, fromStage, criterionId
    LIMIT 1 BY day, fromStage, criterionId
  `.text,
});
