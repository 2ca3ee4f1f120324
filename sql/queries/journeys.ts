/**
 * Journeys of one kind (docs/metrics.md, "Journeys"): every distinct path with its flows and the
 * median / p90 of their durations, and — for sign-in flows that succeeded — the time to sign in by
 * the method that succeeded, per device class and over all (p25, median, p90). Percentiles are
 * exact and interpolate between ranks (quantileExactInclusive), as everywhere else.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { JOURNEY_ROLLUPS, JOURNEYS, zJourneyParams } from './journey-fragments';

const ms = z.number().nonnegative();

export const zJourneyRow = z.object({
  /** `path`: one row per distinct path; `time`: one per method × device class ('' = every device class). */
  part: z.enum(['path', 'time']),
  path: z.array(z.string()),
  method: z.string(),
  deviceClass: z.string(),
  flows: z.number().int().nonnegative(),
  /** path rows: [median, p90]; time rows: [p25, median, p90]. */
  quantiles: z.array(ms),
});
export type JourneyRow = z.infer<typeof zJourneyRow>;

export const journeyPaths = defineQuery({
  name: 'journeys',
  params: zJourneyParams,
  row: zJourneyRow,
  // One pass over the flows, each hour's from its rollups where they hold it, flow by flow elsewhere
  // (a flow row is one flow with its one duration): the path set counts every flow, the (method,
  // device class) and (method) sets only the flows that signed in (grouping(col) = 1: col is not in
  // the row's set). Durations are kept whole in the rollups, so the percentiles stay exact. They are
  // read as UInt32 (a flow's events lie within FLOW_SPAN_HOURS, far below 2^32 ms): the same values
  // and percentiles with half the bytes to copy and select, 5–11 % of the query (docs/performance.md,
  // "Journey durations read as UInt32").
  sql: sql`
    WITH ${JOURNEYS}, ${JOURNEY_ROLLUPS},
    parts AS (
      SELECT path, method, device_class, signed_in, 1 AS flows, [toUInt32(duration_ms)] AS durations FROM journeys
      UNION ALL
      SELECT path, method, device_class, signed_in, flows, CAST(durations, 'Array(UInt32)') AS durations FROM journey_rollups
    )
    SELECT
      if(grouping(path) = 0, 'path', 'time') AS part,
      path,
      method,
      if(grouping(device_class) = 1, '', toString(device_class)) AS deviceClass,
      if(part = 'path', sum(flows), sumIf(flows, signed_in)) AS flows,
      if(part = 'path', quantilesExactInclusiveArray(0.5, 0.9)(durations), quantilesExactInclusiveArrayIf(0.25, 0.5, 0.9)(durations, signed_in)) AS quantiles
    FROM parts
    GROUP BY GROUPING SETS ((path), (method, device_class), (method))
    HAVING part = 'path' OR flows > 0
  `.text,
});
