/**
 * Origin / RP-ID mismatches by origin: server verification events in W failing with
 * origin_mismatch or rp_id_mismatch, grouped by the `webauthn.origin` they came from — a phishing
 * proxy or a misconfigured subdomain shows up as its own row.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS, zWindowFilterParams } from './shared';

export const zOriginMismatchCountRow = z.object({
  origin: z.string(),
  originMismatches: z.number().int().nonnegative(),
  rpIdMismatches: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  rpIds: z.array(z.string()),
});
export type OriginMismatchCountRow = z.infer<typeof zOriginMismatchCountRow>;

export const originMismatchesByOrigin = defineQuery({
  name: 'origin-mismatches-by-origin',
  params: zWindowFilterParams,
  row: zOriginMismatchCountRow,
  sql: sql`
    WITH ${FILTERED_EVENTS}
    SELECT
      toString(origin) AS origin,
      countIf(failure_reason = 'origin_mismatch') AS originMismatches,
      countIf(failure_reason = 'rp_id_mismatch') AS rpIdMismatches,
      count() AS events,
      uniqExactIf(user_id, user_id != '') AS users,
      arraySort(groupUniqArrayIf(toString(rp_id), rp_id != '')) AS rpIds
    FROM filtered
    WHERE event_name IN ('passkey.registration', 'passkey.authentication')
      AND failure_reason IN ('origin_mismatch', 'rp_id_mismatch')
    GROUP BY origin
    ORDER BY events DESC, origin
  `.text,
});
