/**
 * The newest stored evaluation of each day in [fromDay, toDay] (migration 0012): when it ran, the
 * watermark it read at and the configuration it judged with. The history pass and
 * GET /api/v1/stages/history decide from these whether a day is evaluated, outdated or missing
 * (lib/stage-gates/history.ts). Every row of one evaluation carries the same evaluated_at.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

export const zGateEvaluationRunRow = z.object({
  day: z.string(),
  evaluatedAtMs: z.number(),
  watermarkMs: z.number(),
  configFingerprint: z.string(),
});
export type GateEvaluationRunRow = z.infer<typeof zGateEvaluationRunRow>;

export const gateEvaluationRuns = defineQuery({
  name: 'gate-evaluation-runs',
  params: z.object({ fromDay: z.string(), toDay: z.string() }),
  row: zGateEvaluationRunRow,
  sql: sql`
    SELECT toString(day) AS day,
           toUnixTimestamp64Milli(max(evaluated_at)) AS evaluatedAtMs,
           toUnixTimestamp64Milli(argMax(watermark, evaluated_at)) AS watermarkMs,
           argMax(config_fingerprint, evaluated_at) AS configFingerprint
    FROM (SELECT * FROM gate_evaluations WHERE day BETWEEN {fromDay:Date} AND {toDay:Date})
    GROUP BY day
    ORDER BY day
  `.text,
});
