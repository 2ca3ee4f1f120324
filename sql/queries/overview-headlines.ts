/**
 * The Overview's headline counts in one pass (docs/metrics.md): |A(W)|, the successful sign-ins and
 * the passkey ones among them, |H(to)|, and the active holders with the multi-device ones among them.
 * The same fragments and definitions as active-users.ts, passkey-sign-in-share.ts,
 * passkey-holders.ts and multi-device-coverage.ts (which the stage gates and the Sign-in page ask
 * one at a time): the active users and the holders are computed once (MATERIALIZED) for all four,
 * and the sign-in counts are the active users' own (`sign_ins` holds only sign-ins with a user).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDERS_AT_TO, HOLDER_CREDENTIALS, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS } from './shared';

const count = z.number().int().nonnegative();

export const overviewHeadlineCounts = defineQuery({
  name: 'overview-headlines',
  params: zCoreParams,
  row: z.object({
    activeUsers: count,
    successfulSignIns: count,
    passkeySignIns: count,
    holders: count,
    activeHolders: count,
    multiDeviceHolders: count,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO},
    signed_in AS (
      SELECT count() AS activeUsers, sum(sign_in_count) AS successfulSignIns, sum(passkey_sign_in_count) AS passkeySignIns
      FROM active_users
    ),
    coverage AS (
      SELECT count() AS activeHolders, countIf(h.live_credentials >= 2) AS multiDeviceHolders
      FROM active_users AS a
      INNER JOIN holders_at_to AS h ON h.user_id = a.user_id
    )
    SELECT
      s.activeUsers AS activeUsers, s.successfulSignIns AS successfulSignIns, s.passkeySignIns AS passkeySignIns,
      (SELECT count() FROM holders_at_to) AS holders,
      c.activeHolders AS activeHolders, c.multiDeviceHolders AS multiDeviceHolders
    FROM signed_in AS s CROSS JOIN coverage AS c
  `.text,
});
