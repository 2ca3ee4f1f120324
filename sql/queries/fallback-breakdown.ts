/**
 * The window's auth.fallback events in one pass (GROUPING SETS), with the users affected: by target
 * method (`part = 'method'`: `auth.method`, 'unspecified' when absent) and by reason
 * (`part = 'reason'`: `auth.fallback.reason`, 'other' when absent).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { zCoreParams } from './core-metric-fragments';
import { FILTERED_EVENTS } from './shared';

export const fallbackBreakdown = defineQuery({
  name: 'fallback-breakdown',
  params: zCoreParams,
  row: z.object({
    part: z.enum(['method', 'reason']),
    key: z.string(),
    fallbacks: z.number().int().nonnegative(),
    users: z.number().int().nonnegative(),
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS},
    fallbacks AS (
      SELECT if(auth_method = '', 'unspecified', auth_method) AS method,
             if(fallback_reason = '', 'other', fallback_reason) AS reason,
             user_id
      FROM filtered
      WHERE event_name = 'auth.fallback'
    )
    SELECT if(grouping(method) = 0, 'method', 'reason') AS part, if(part = 'method', method, reason) AS key,
           count() AS fallbacks, uniqExactIf(user_id, user_id != '') AS users
    FROM fallbacks
    GROUP BY GROUPING SETS ((method), (reason))
    ORDER BY part, fallbacks DESC, key
  `.text,
});
