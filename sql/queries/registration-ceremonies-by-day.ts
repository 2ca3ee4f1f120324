/** Registration ceremonies per day (in the zone `tz`) of their start (days without ceremonies are filled by the caller). */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { KEPT_CEREMONIES, OUTCOME_COUNTS, zCoreParams, zOutcomeCounts } from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES } from './shared';

export const registrationCeremoniesByDay = defineQuery({
  name: 'registration-ceremonies-by-day',
  params: zCoreParams,
  row: zOutcomeCounts.extend({ day: z.string() }),
  sql: sql`
    WITH ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES}
    SELECT toString(toDate(started_at, {tz:String})) AS day, ${OUTCOME_COUNTS}
    FROM kept_ceremonies
    WHERE type = 'registration'
    GROUP BY day
    ORDER BY day
  `.text,
});
