/** auth.fallback events of the window by target method (`auth.method`; 'unspecified' when absent), with users affected. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS } from './shared';
import { zCoreParams } from './core-metric-fragments';

export const fallbackMethods = defineQuery({
  name: 'fallback-methods',
  params: zCoreParams,
  row: z.object({ method: z.string(), fallbacks: z.number().int().nonnegative(), users: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}
    SELECT
      if(auth_method = '', 'unspecified', auth_method) AS method,
      count() AS fallbacks,
      uniqExactIf(user_id, user_id != '') AS users
    FROM filtered
    WHERE event_name = 'auth.fallback'
    GROUP BY method
    ORDER BY fallbacks DESC, method
  `.text,
});
