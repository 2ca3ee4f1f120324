/**
 * Phishable recovery followed by a passkey from a new device class — the account-takeover pattern:
 * a recovery started in W via sms_code, email_code, email_magic_link or support_agent_override, then
 * within 24 h (even past `to`) a successful `passkey.registration` by the same user from a device
 * class on which that user had no event at all before the recovery started (full history, every
 * event kind). A recovery is one per flow (as in recovery-flows.ts). The registration must pass the
 * filters (it is the new device); the recovery is matched whatever device it came from. One row per
 * (recovery, registration) pair, newest recovery first, at most `limit`; the counts are over every
 * pair (window functions, before the LIMIT).
 *
 * The history is read from `user_device_days` (migration 0016): each (user, device class, day) with
 * the day's first event, kept as events arrive. The first event on a class is the least of its
 * days' first events — the instant the raw events give — read from the paired users' few rows
 * instead of every event they ever sent.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { PHISHABLE_RECOVERY_METHODS } from '@/lib/vocabulary';
import { FILTER_PREDICATE, zWindowFilterParams } from './shared';

export const zRecoveryNewDeviceRow = z.object({
  recoveries: z.number().int().nonnegative(),
  registrations: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  userId: z.string(),
  recoveryAt: z.string(),
  recoveryMethod: z.string(),
  recoveryFlowId: z.string(),
  registrationAt: z.string(),
  ceremonyId: z.string(),
  credentialId: z.string(),
  deviceClass: z.string(),
});
export type RecoveryNewDeviceRow = z.infer<typeof zRecoveryNewDeviceRow>;

export const phishableRecoveryNewDevice = defineQuery({
  name: 'phishable-recovery-new-device',
  params: zWindowFilterParams.extend({
    limit: z.number().int().min(1).max(1000),
    phishableMethods: z.array(z.string()).default([...PHISHABLE_RECOVERY_METHODS]),
  }),
  row: zRecoveryNewDeviceRow,
  sql: sql`
    WITH
    phishable_recovery_starts AS (
      SELECT user_id AS rs_user, timestamp AS rs_at, recovery_method AS rs_method, flow_id AS rs_flow,
             if(flow_id != '', concat('flow:', flow_id),
                concat('start:', toString(toUnixTimestamp64Milli(timestamp)), ':', recovery_method)) AS rs_key
      FROM ceremony_events
      WHERE event_name = 'account.recovery' AND recovery_stage = 'started'
        AND has({phishableMethods:Array(String)}, recovery_method)
        AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
    ),
    -- one recovery per flow, as in recovery-flows.ts: a flow announcing its start twice is one recovery
    phishable_recoveries AS MATERIALIZED (
      SELECT rs_user AS r_user, rs_key AS r_key, min(rs_at) AS r_at, argMin(rs_method, rs_at) AS r_method, any(rs_flow) AS r_flow
      FROM phishable_recovery_starts
      GROUP BY rs_user, rs_key
    ),
    new_registrations AS (
      SELECT user_id AS g_user, timestamp AS g_at, ceremony_id AS g_ceremony, credential_id AS g_credential,
             toString(device_class) AS g_device_class
      FROM ceremony_events
      WHERE event_name = 'passkey.registration' AND result = 'success'
        AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')} + INTERVAL 24 HOUR
        AND user_id IN (SELECT r_user FROM phishable_recoveries)
        AND ${FILTER_PREDICATE}
    ),
    pairs AS MATERIALIZED (
      SELECT r.r_user AS r_user, r.r_key AS r_key, r.r_at AS r_at, r.r_method AS r_method, r.r_flow AS r_flow,
             g.g_at AS g_at, g.g_ceremony AS g_ceremony, g.g_credential AS g_credential, g.g_device_class AS g_device_class
      FROM phishable_recoveries AS r
      INNER JOIN new_registrations AS g ON g.g_user = r.r_user
      WHERE g.g_at >= r.r_at AND g.g_at < r.r_at + INTERVAL 24 HOUR
    ),
    -- the first event of each paired user on each device class; the registration itself is one, so
    -- every pair finds its row
    device_history AS (
      SELECT user_id AS h_user, toString(device_class) AS h_device_class, min(first_at) AS h_first_seen
      FROM user_device_days
      WHERE user_id IN (SELECT r_user FROM pairs)
      GROUP BY h_user, h_device_class
    ),
    flagged AS (
      SELECT p.*
      FROM pairs AS p
      LEFT JOIN device_history AS h ON h.h_user = p.r_user AND h.h_device_class = p.g_device_class
      WHERE h.h_first_seen >= p.r_at
    )
    SELECT
      uniqExact((r_user, r_key)) OVER () AS recoveries,
      uniqExact((r_user, g_at, g_ceremony, g_credential)) OVER () AS registrations,
      uniqExact(r_user) OVER () AS users,
      r_user AS userId, r_at AS recoveryAt, r_method AS recoveryMethod, r_flow AS recoveryFlowId,
      g_at AS registrationAt, g_ceremony AS ceremonyId, g_credential AS credentialId, g_device_class AS deviceClass
    FROM flagged
    ORDER BY r_at DESC, g_at DESC, r_user
    LIMIT {limit:UInt32}
  `.text,
});
