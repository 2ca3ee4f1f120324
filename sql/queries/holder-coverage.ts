/**
 * What the Sign-in page asks of the holders (at `to`) active in the window, in one pass over them:
 * multi-device coverage — those with ≥ 2 live credentials — and the cross-platform gap — those every
 * one of whose live credentials was registered on a known OS family they did not sign in from in
 * the window — with the gap by (credential OS, sign-in OS): for each pair, the gap users with a live
 * credential registered on the first and a sign-in in the window from the second (a user with
 * several credential or sign-in OSes appears in several pairs). Rows: the `total` (where `gapUsers`
 * counts the gap's users), then the `pair`s, most users first, then by the two names.
 *
 * One query where there were three (multi-device coverage, the gap, its pairs), each of which read
 * the window's sign-ins and every credential's history again (docs/performance.md, "Materialized
 * CTEs switched on, large IN sets bounded").
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CROSS_PLATFORM_GAP, HOLDERS_AT_TO, HOLDER_CREDENTIALS, MULTI_DEVICE, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

const count = z.number().int().nonnegative();

export const holderCoverage = defineQuery({
  name: 'holder-coverage',
  params: zCoreParams,
  row: z.object({
    /** `total`: the counts over the active holders; `pair`: one (credential OS, sign-in OS) pair's gap users. */
    part: z.enum(['total', 'pair']),
    credentialOs: z.string(),
    signInOs: z.string(),
    activeHolders: count,
    multiDeviceHolders: count,
    gapUsers: count,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO},
    active_holders AS (
      SELECT ${MULTI_DEVICE(sql`h.live_credentials`)} AS multi_device,
             ${CROSS_PLATFORM_GAP(sql`a.sign_in_oses`, sql`h.credential_oses`)} AS is_gap,
             -- each (credential OS, sign-in OS) pair of a gap user once
             if(is_gap, arrayDistinct(arrayFlatten(arrayMap(c -> arrayMap(s -> (c, s), a.sign_in_oses), h.credential_oses))), []) AS gap_pairs
      FROM active_users AS a
      INNER JOIN holders_at_to AS h ON h.user_id = a.user_id
    )
    -- one row per holder and pair (i = 1, 2, …), or one with i = 0 for a holder without any: the
    -- holder counts take each holder's first row, a pair's count its rows
    SELECT if(grouping(pair) = 0, 'pair', 'total') AS part,
           if(part = 'pair', pair.1, '') AS credentialOs, if(part = 'pair', pair.2, '') AS signInOs,
           countIf(i <= 1) AS activeHolders, countIf(i <= 1 AND multi_device) AS multiDeviceHolders,
           if(part = 'total', countIf(i <= 1 AND is_gap), countIf(i >= 1)) AS gapUsers
    FROM active_holders
    LEFT ARRAY JOIN gap_pairs AS pair, arrayEnumerate(gap_pairs) AS i
    GROUP BY GROUPING SETS ((pair), ())
    HAVING part = 'total' OR gapUsers > 0
    ORDER BY part DESC, gapUsers DESC, credentialOs, signInOs
  `.text,
});
