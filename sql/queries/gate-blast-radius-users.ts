/**
 * The at-risk holders of the lock-out blast radius (gate-blast-radius.ts), most recently active
 * first, with the evidence support needs to help them: where they last signed in and how, their
 * live passkeys, and their last passkey sign-in ever (before the lookback, or never), in any environment.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { BLAST_RADIUS_HOLDERS, zBlastRadiusParams } from './gate-blast-radius';

export const gateBlastRadiusUsers = defineQuery({
  name: 'gate-blast-radius-users',
  params: zBlastRadiusParams.extend({ limit: z.number().int().min(1).max(100_000) }),
  row: z.object({
    userId: z.string(),
    deviceClass: z.string(),
    lastSignInAt: z.string().nullable(),
    lastSignInMethod: z.string().nullable(),
    liveCredentials: z.number().int().nonnegative(),
    credentialDeviceClasses: z.array(z.string()),
    lastPasskeySignInAt: z.string().nullable(),
  }),
  sql: sql`
    WITH ${BLAST_RADIUS_HOLDERS},
    at_risk_holders AS (SELECT * FROM blast_radius_holders WHERE at_risk),
    -- Every user's (the join below keeps the at-risk holders'), in every environment: the whole days
    -- before to's day from the sign-ins kept by day (migration 0018), to's day itself from the raw
    -- events (a kept day may hold sign-ins after to) — not every sign-in ever stored.
    last_passkey_sign_ins AS (
      SELECT user_id, max(at) AS last_passkey_at
      FROM (
        SELECT user_id, last_at AS at
        FROM user_sign_in_days
        WHERE auth_method = 'passkey' AND day < toDate({to:DateTime64(3, 'UTC')})
        UNION ALL
        SELECT user_id, timestamp AS at
        FROM ceremony_events
        WHERE event_name = 'auth.sign_in' AND result = 'success' AND auth_method = 'passkey' AND user_id != ''
          AND timestamp >= toStartOfDay({to:DateTime64(3, 'UTC')}) AND timestamp < {to:DateTime64(3, 'UTC')}
      )
      GROUP BY user_id
    )
    SELECT
      r.user_id AS userId,
      r.device_class AS deviceClass,
      r.last_sign_in_at AS lastSignInAt,
      r.last_method AS lastSignInMethod,
      r.live_credentials AS liveCredentials,
      r.credential_device_classes AS credentialDeviceClasses,
      if(p.user_id != '', toNullable(p.last_passkey_at), NULL) AS lastPasskeySignInAt
    FROM at_risk_holders AS r
    LEFT JOIN last_passkey_sign_ins AS p ON p.user_id = r.user_id
    ORDER BY r.last_sign_in_at DESC NULLS LAST, r.user_id
    LIMIT {limit:UInt32}
  `.text,
});
