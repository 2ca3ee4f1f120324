/**
 * The flows behind one link of the journey diagram (docs/metrics.md, "Journeys"): the flows of the
 * kind whose path has `source` at position `depth` (0 = the entry) and `target` right after it,
 * newest first, at most `limit`, each with its user (the first it names).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { JOURNEY_EVENT, journeysCte, perKind, READ_WINDOW, zJourneyParams } from './journey-fragments';

export const zJourneyFlowRow = z.object({
  flowId: z.string(),
  userId: z.string(),
  startedAtMs: z.number(),
  durationMs: z.number().nonnegative(),
  deviceClass: z.string(),
  endState: z.string(),
  path: z.array(z.string()),
});
export type JourneyFlowRow = z.infer<typeof zJourneyFlowRow>;

export const zJourneyFlowParams = zJourneyParams.extend({
  depth: z.number().int().nonnegative(),
  source: z.string(),
  target: z.string(),
  limit: z.number().int().positive(),
});

export const journeyFlows = perKind((kind) =>
  defineQuery({
    name: `journey-flows-${kind}`,
    params: zJourneyFlowParams,
    row: zJourneyFlowRow,
    sql: sql`
    WITH ${journeysCte(kind)},
    matched AS MATERIALIZED (
      SELECT flow_id, started_at, duration_ms, device_class, end_state, path
      FROM journeys
      WHERE length(path) >= {depth:UInt32} + 2
        AND path[{depth:UInt32} + 1] = {source:String} AND path[{depth:UInt32} + 2] = {target:String}
      ORDER BY started_at DESC, flow_id
      LIMIT {limit:UInt32}
    ),
    -- the user of the listed flows only (the flow_id index finds their events): grouping the user of
    -- every flow of the window would cost more than the rest of the question
    users AS (
      SELECT flow_id, argMinIf(user_id, timestamp, user_id != '') AS user_id
      FROM ceremony_events
      WHERE flow_id IN (SELECT flow_id FROM matched) AND ${JOURNEY_EVENT} AND ${READ_WINDOW}
      GROUP BY flow_id
    )
    SELECT m.flow_id AS flowId, ifNull(u.user_id, '') AS userId, toUnixTimestamp64Milli(m.started_at) AS startedAtMs,
           m.duration_ms AS durationMs, toString(m.device_class) AS deviceClass, m.end_state AS endState, m.path AS path
    FROM matched AS m
    LEFT JOIN users AS u ON u.flow_id = m.flow_id
    ORDER BY m.started_at DESC, m.flow_id
  `.text,
  }),
);
