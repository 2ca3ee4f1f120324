/**
 * The stage gates' facts about the window's sign-ins, in one query (each was a query of its own,
 * each reading the sign-ins and the credential history again):
 * - `activeUsers`: |A(W)|, distinct users with a successful auth.sign_in in the window;
 * - `activeHolders`, `multiDeviceHolders`: of them, those holding a passkey at `to`, and those among
 *   these with ≥ 2 live credentials (multi-device coverage; docs/metrics.md);
 * - `holderSignIns`, `holderPasskeySignIns`: the successful sign-ins by users who held a passkey at
 *   that moment (a credential registered at or before the sign-in and not deleted before it, from
 *   its full history), and those with `auth.method=passkey` (stage gate 3 → 4). Holding is judged
 *   per sign-in, so the password sign-ins before a user's first passkey do not count against it;
 * - `reliantHolders`: the fallback-reliant cohort's holders (every reason but `no_passkey`: the
 *   cohort's holders are H(to), as `activeHolders`'), for stage gate 3 → 4 — the cohort page's
 *   `fallback-cohort-sizes` asked here too, since both read the same active users and holders
 *   (one query instead of two: 491–659 against 609–686 ms at 10 M, docs/performance.md).
 * Filters as every core metric (zCoreParams).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import {
  FALLBACK_COHORT,
  GAP_USERS,
  HOLDERS_AT_TO,
  HOLDER_CREDENTIALS,
  KEPT_CEREMONIES,
  MULTI_DEVICE,
  SIGN_INS,
  zCoreParams,
} from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

const count = z.number().int().nonnegative();

export const gateSignInFacts = defineQuery({
  name: 'gate-sign-in-facts',
  params: zCoreParams,
  row: z.object({
    activeUsers: count,
    activeHolders: count,
    multiDeviceHolders: count,
    holderSignIns: count,
    holderPasskeySignIns: count,
    reliantHolders: count,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO},
    ${CEREMONIES}, ${KEPT_CEREMONIES}, ${GAP_USERS}, ${FALLBACK_COHORT},
    coverage AS (
      SELECT count() AS activeUsers, countIf(h.user_id != '') AS activeHolders,
             countIf(h.user_id != '' AND ${MULTI_DEVICE(sql`h.live_credentials`)}) AS multiDeviceHolders
      FROM active_users AS a
      LEFT JOIN holders_at_to AS h ON h.user_id = a.user_id
    ),
    numbered_sign_ins AS (
      SELECT user_id, timestamp, auth_method, rowNumberInAllBlocks() AS sign_in_key FROM sign_ins
    ),
    holder_sign_ins AS (
      SELECT s.sign_in_key AS sign_in_key, any(s.auth_method) AS auth_method
      FROM numbered_sign_ins AS s
      INNER JOIN holder_credentials AS h ON h.user_id = s.user_id
      WHERE ${LIVE_AT(sql`s.timestamp`)}
      GROUP BY s.sign_in_key
    ),
    holder_counts AS (
      SELECT count() AS holderSignIns, countIf(auth_method = 'passkey') AS holderPasskeySignIns FROM holder_sign_ins
    ),
    reliant AS (
      SELECT countIf(reason != 'no_passkey') AS reliantHolders FROM cohort
    )
    SELECT c.activeUsers AS activeUsers, c.activeHolders AS activeHolders, c.multiDeviceHolders AS multiDeviceHolders,
           s.holderSignIns AS holderSignIns, s.holderPasskeySignIns AS holderPasskeySignIns, r.reliantHolders AS reliantHolders
    FROM coverage AS c CROSS JOIN holder_counts AS s CROSS JOIN reliant AS r
  `.text,
});
