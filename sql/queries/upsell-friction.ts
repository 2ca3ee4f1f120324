/**
 * Prompt friction of the post-sign-in upsell: passkey.upsell events by outcome (shown, accepted,
 * dismissed) and the registration ceremonies on surface post_sign_in_upsell by outcome.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { KEPT_CEREMONIES, OUTCOME_COUNTS, zCoreParams, zOutcomeCounts } from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

const count = z.number().int().nonnegative();

export const upsellFriction = defineQuery({
  name: 'upsell-friction',
  params: zCoreParams,
  row: zOutcomeCounts.extend({ shown: count, accepted: count, dismissed: count }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES}
    SELECT *
    FROM (
      SELECT
        countIf(upsell_outcome = 'shown') AS shown,
        countIf(upsell_outcome = 'accepted') AS accepted,
        countIf(upsell_outcome = 'dismissed') AS dismissed
      FROM filtered
      WHERE event_name = 'passkey.upsell'
    ) AS upsell_events
    CROSS JOIN (
      SELECT ${OUTCOME_COUNTS}
      FROM kept_ceremonies
      WHERE type = 'registration' AND surface = 'post_sign_in_upsell'
    ) AS upsell_ceremonies
  `.text,
});
