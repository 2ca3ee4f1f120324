/**
 * Passkey share of holders' sign-ins (stage gate 3 → 4): of the successful `auth.sign_in`s in the
 * window by users who held a passkey at that moment (a credential registered at or before the
 * sign-in and not deleted before it, from its full history), those with `auth.method=passkey`.
 * Holding is judged per sign-in, so the password sign-ins before a user's first passkey do not
 * count against the share.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDER_CREDENTIALS, SIGN_INS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, FILTERED_EVENTS, LIVE_AT } from './shared';

const count = z.number().int().nonnegative();

export const gateHolderSignIns = defineQuery({
  name: 'gate-holder-sign-ins',
  params: zCoreParams,
  row: z.object({ holderSignIns: count, holderPasskeySignIns: count }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}, ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS},
    numbered_sign_ins AS (
      SELECT user_id, timestamp, auth_method, rowNumberInAllBlocks() AS sign_in_key FROM sign_ins
    ),
    holder_sign_ins AS (
      SELECT s.sign_in_key AS sign_in_key, any(s.auth_method) AS auth_method
      FROM numbered_sign_ins AS s
      INNER JOIN holder_credentials AS h ON h.user_id = s.user_id
      WHERE ${LIVE_AT(sql`s.timestamp`)}
      GROUP BY s.sign_in_key
    )
    SELECT count() AS holderSignIns, countIf(auth_method = 'passkey') AS holderPasskeySignIns
    FROM holder_sign_ins
  `.text,
});
