/**
 * Prompt latency: how long the browser's passkey prompt took (`passkey.prompt.duration_ms`), p50
 * and p95 by device class, mediation and outcome, and over every prompt that was a ceremony
 * (docs/metrics.md, "Prompt latency"). Percentiles interpolate between the closest ranks
 * (quantileExactInclusive: Excel's PERCENTILE.INC), exactly over every prompt with a duration.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { zCoreParams } from './core-metric-fragments';
import { CEREMONY_EVENT, FILTERED_EVENTS } from './shared';

const ms = z.number().nonnegative().nullable();

export const zPromptLatencyRow = z.object({
  /** '' on the overall row (every prompt that was a ceremony). */
  deviceClass: z.string(),
  mediation: z.string(),
  outcome: z.string(),
  overall: z.number().int().min(0).max(1),
  prompts: z.number().int().nonnegative(),
  p50Ms: ms,
  p95Ms: ms,
});

export const promptLatency = defineQuery({
  name: 'prompt-latency',
  params: zCoreParams,
  row: zPromptLatencyRow,
  sql: sql`
    WITH ${FILTERED_EVENTS},
    timed AS (
      SELECT toString(device_class) AS deviceClass, toString(mediation) AS mediation, toString(prompt_outcome) AS outcome,
             assumeNotNull(prompt_duration_ms) AS duration, ${CEREMONY_EVENT} AS engaged
      FROM filtered
      WHERE event_name = 'passkey.prompt' AND prompt_duration_ms IS NOT NULL
    )
    SELECT deviceClass, mediation, outcome, 0 AS overall, count() AS prompts,
           quantileExactInclusive(0.5)(duration) AS p50Ms, quantileExactInclusive(0.95)(duration) AS p95Ms
    FROM timed
    GROUP BY deviceClass, mediation, outcome
    UNION ALL
    SELECT '' AS deviceClass, '' AS mediation, '' AS outcome, 1 AS overall, count() AS prompts,
           if(prompts = 0, NULL, quantileExactInclusive(0.5)(duration)) AS p50Ms, if(prompts = 0, NULL, quantileExactInclusive(0.95)(duration)) AS p95Ms
    FROM timed
    WHERE engaged
  `.text,
});
