/** auth.fallback events of the window by `auth.fallback.reason`, with users affected. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS } from './shared';
import { zCoreParams } from './core-metric-fragments';

export const fallbackReasons = defineQuery({
  name: 'fallback-reasons',
  params: zCoreParams,
  row: z.object({ reason: z.string(), fallbacks: z.number().int().nonnegative(), users: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}
    SELECT
      if(fallback_reason = '', 'other', fallback_reason) AS reason,
      count() AS fallbacks,
      uniqExactIf(user_id, user_id != '') AS users
    FROM filtered
    WHERE event_name = 'auth.fallback'
    GROUP BY reason
    ORDER BY fallbacks DESC, reason
  `.text,
});
