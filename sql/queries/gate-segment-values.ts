/**
 * The values of a segment dimension seen in a window (any event passing the filters), most events
 * first, for the per-segment stage-gate verdicts (GET /api/v1/stages?segment=…): each criterion is
 * then measured once per value with that value as a filter. The dimension is a column picked from
 * an allow-list; empty values are left out (they cannot be selected by a filter).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { identifier, sql } from '@/lib/sql';
import { FILTERED_EVENTS, zWindowFilterParams } from './shared';

/** The dimensions a stage-gate evaluation can be split by (the contract's `segment`). */
export type StageSegmentDimension = 'deviceClass' | 'os' | 'variant' | 'riskTier';

export const SEGMENT_COLUMNS: Readonly<Record<StageSegmentDimension, string>> = {
  deviceClass: 'device_class',
  os: 'os_name',
  variant: 'rollout_variant',
  riskTier: 'risk_tier',
};

function valuesOf(dimension: StageSegmentDimension) {
  return defineQuery({
    // One name per dimension: the stage-gate query cache keys answers by name and parameters.
    name: `gate-segment-values-${dimension}`,
    params: zWindowFilterParams.extend({ limit: z.number().int().min(1).max(100) }),
    row: z.object({ value: z.string(), events: z.number() }),
    sql: sql`
      WITH ${FILTERED_EVENTS}
      SELECT toString(${identifier(SEGMENT_COLUMNS, dimension)}) AS value, count() AS events
      FROM filtered
      GROUP BY value
      HAVING value != ''
      ORDER BY events DESC, value
      LIMIT {limit:UInt32}
    `.text,
  });
}

export const gateSegmentValues = {
  deviceClass: valuesOf('deviceClass'),
  os: valuesOf('os'),
  variant: valuesOf('variant'),
  riskTier: valuesOf('riskTier'),
} satisfies Record<StageSegmentDimension, unknown>;
