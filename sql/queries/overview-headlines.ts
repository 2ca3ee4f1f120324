/**
 * The Overview's headline counts in one pass (docs/metrics.md), for each of consecutive windows
 * (the previous window and the window: zCoreWindowsParams): |A(W)|, the successful sign-ins and
 * the passkey ones among them, |H(end of W)|, and the active holders with the multi-device ones
 * among them. The same definitions as gate-sign-in-facts.ts, passkey-sign-in-share-by-day.ts and
 * holder-coverage.ts (which the stage gates and the Sign-in page ask), each
 * taken per window: the active users are grouped by window and user once, the holders at every
 * window's end from one read of the credentials, and the sign-in counts are the active users' own
 * (`sign_ins` holds only sign-ins with a user); the holders and the active ones among them come from
 * one grouping of both lists by window and user, not a join. One row per window (`part = 'window'`).
 *
 * The same grouping gives the registration rate per device class of the last window
 * (`part = 'deviceClass'`, one row per class: `activeUsers` = |A_d(W)|, `holders` = |A_d(W) ∩ H(to)|;
 * the definition of registration-rate-by-device-class.ts, which the Registration page asks alone):
 * each active user carries the device classes they signed in on.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import {
  HOLDER_CREDENTIALS,
  MULTI_DEVICE,
  SIGN_IN_EVENTS,
  WINDOW_END,
  WINDOW_NUMBERS,
  WINDOW_OF,
  zCoreWindowsParams,
} from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

const count = z.number().int().nonnegative();

export const overviewHeadlineCounts = defineQuery({
  name: 'overview-headlines',
  params: zCoreWindowsParams,
  row: z.object({
    part: z.enum(['window', 'deviceClass']),
    /** 1-based: windowStarts[w − 1]. */
    w: z.number().int().positive(),
    /** part 'deviceClass': the class; '' on window rows. */
    deviceClass: z.string(),
    activeUsers: count,
    successfulSignIns: count,
    passkeySignIns: count,
    holders: count,
    activeHolders: count,
    multiDeviceHolders: count,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_IN_EVENTS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS},
    active_users AS MATERIALIZED (
      SELECT ${WINDOW_OF(sql`timestamp`)} AS w, user_id, count() AS sign_in_count, countIf(auth_method = 'passkey') AS passkey_sign_in_count,
             groupUniqArray(device_class) AS device_classes
      FROM sign_ins
      GROUP BY w, user_id
    ),
    -- H(end of W_i): each holder with their live credentials at each window's end
    window_holders AS MATERIALIZED (
      SELECT w, user_id, count() AS live_credentials
      FROM holder_credentials
      ARRAY JOIN ${WINDOW_NUMBERS} AS w
      WHERE ${LIVE_AT(WINDOW_END(sql`w`))}
      GROUP BY w, user_id
    ),
    signed_in AS (
      SELECT w, count() AS activeUsers, sum(sign_in_count) AS successfulSignIns, sum(passkey_sign_in_count) AS passkeySignIns
      FROM active_users
      GROUP BY w
    ),
    -- each user once per window with whether they signed in (and on which device classes) and their
    -- live credentials (one grouping of both lists: cheaper here than joining them —
    -- docs/performance.md, "The Overview's holders without a join")
    window_users AS MATERIALIZED (
      SELECT w, user_id, max(active) AS active, max(live) AS live, groupArrayArray(classes) AS device_classes
      FROM (
        SELECT w, user_id, true AS active, toUInt64(0) AS live, device_classes AS classes FROM active_users
        UNION ALL
        SELECT w, user_id, false AS active, live_credentials AS live, [] AS classes FROM window_holders
      )
      GROUP BY w, user_id
    ),
    -- |H|, |A ∩ H| and the multi-device ones among them, per window
    coverage AS (
      SELECT w, countIf(live > 0) AS holders, countIf(active AND live > 0) AS activeHolders, countIf(active AND ${MULTI_DEVICE(sql`live`)}) AS multiDeviceHolders
      FROM window_users
      GROUP BY w
    )
    -- every window, zero where nothing happened (a missing row of a LEFT JOIN reads as 0)
    SELECT
      'window' AS part, n.w AS w, '' AS deviceClass,
      s.activeUsers AS activeUsers, s.successfulSignIns AS successfulSignIns, s.passkeySignIns AS passkeySignIns,
      c.holders AS holders, c.activeHolders AS activeHolders, c.multiDeviceHolders AS multiDeviceHolders
    FROM (SELECT arrayJoin(${WINDOW_NUMBERS}) AS w) AS n
    LEFT JOIN signed_in AS s ON s.w = n.w
    LEFT JOIN coverage AS c ON c.w = n.w
    UNION ALL
    -- the last window's active users per device class, and the holders at its end among them
    SELECT
      'deviceClass' AS part, w, device_class AS deviceClass,
      count() AS activeUsers, toUInt64(0) AS successfulSignIns, toUInt64(0) AS passkeySignIns,
      countIf(live > 0) AS holders, toUInt64(0) AS activeHolders, toUInt64(0) AS multiDeviceHolders
    FROM window_users
    ARRAY JOIN device_classes AS device_class
    WHERE active AND w = length({windowEnds:Array(DateTime64(3, 'UTC'))})
    GROUP BY w, device_class
    ORDER BY activeUsers DESC, deviceClass
  `.text,
});
