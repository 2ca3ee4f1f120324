/**
 * Prompt friction of the post-sign-in upsell, for each of consecutive windows
 * (zCoreWindowsParams; one window when not given): passkey.upsell events by outcome (shown,
 * accepted, dismissed) and the registration ceremonies on surface post_sign_in_upsell by outcome.
 * One row per window with any of them.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { KEPT_CEREMONIES, OUTCOME_COUNTS, WINDOW_OF, zCoreWindowsParams, zOutcomeCounts } from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

const count = z.number().int().nonnegative();

export const upsellFriction = defineQuery({
  name: 'upsell-friction',
  params: zCoreWindowsParams,
  row: zOutcomeCounts.extend({
    /** 1-based: windowStarts[w − 1]. */
    w: z.number().int().positive(),
    shown: count,
    accepted: count,
    dismissed: count,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES}
    SELECT w, sum(shown) AS shown, sum(accepted) AS accepted, sum(dismissed) AS dismissed,
           sum(successes) AS successes, sum(failures) AS failures, sum(cancellations) AS cancellations
    FROM (
      SELECT
        ${WINDOW_OF(sql`timestamp`)} AS w,
        countIf(upsell_outcome = 'shown') AS shown,
        countIf(upsell_outcome = 'accepted') AS accepted,
        countIf(upsell_outcome = 'dismissed') AS dismissed,
        0 AS successes, 0 AS failures, 0 AS cancellations
      FROM filtered
      WHERE event_name = 'passkey.upsell'
      GROUP BY w
      UNION ALL
      SELECT ${WINDOW_OF(sql`started_at`)} AS w, 0 AS shown, 0 AS accepted, 0 AS dismissed, ${OUTCOME_COUNTS}
      FROM kept_ceremonies
      WHERE type = 'registration' AND surface = 'post_sign_in_upsell'
      GROUP BY w
    )
    GROUP BY w
    ORDER BY w
  `.text,
});
