/**
 * Recovery journeys (DESIGN.md section 4, recovery load): the fragments the recovery questions share.
 *
 * A recovery is a started flow: an `account.recovery` event with stage `started` in W that passes the
 * filters, one per (user, auth.flow.id) — a flow re-announcing its start is not a second recovery;
 * a start without a flow id is a recovery of its own. Its method, time and device class are its
 * start's. Its outcome is the first terminal stage (completed / failed / abandoned) of the same
 * journey at or after the start and before `to`, whatever device that came from (the e-mail link is
 * often opened elsewhere); none yet = `in_progress`. A journey is matched by flow id, or — for
 * starts without one — by user and method.
 * Active users A(W): distinct users with a successful `auth.sign_in` in W that passes the filters.
 */
import { sql } from '@/lib/sql';
import { FILTER_PREDICATE } from './shared';

export const RECOVERIES = sql`
  recovery_start_events AS (
    SELECT
      user_id AS rs_user,
      if(flow_id != '', concat('flow:', flow_id),
         concat('start:', toString(toUnixTimestamp64Milli(timestamp)), ':', recovery_method)) AS rs_key,
      if(flow_id != '', concat('flow:', flow_id), concat('method:', recovery_method)) AS rs_journey,
      flow_id AS rs_flow, timestamp AS rs_ts, recovery_method AS rs_method, device_class AS rs_device_class
    FROM ceremony_events
    WHERE event_name = 'account.recovery' AND recovery_stage = 'started'
      AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ${FILTER_PREDICATE}
  ),
  recovery_starts AS (
    SELECT
      rs_user AS user_id, rs_key AS recovery_key,
      any(rs_journey) AS journey_key, any(rs_flow) AS flow_id,
      min(rs_ts) AS started_at, argMin(rs_method, rs_ts) AS method, argMin(rs_device_class, rs_ts) AS device_class
    FROM recovery_start_events
    GROUP BY rs_user, rs_key
  ),
  recovery_terminals AS (
    SELECT
      user_id AS rt_user,
      if(flow_id != '', concat('flow:', flow_id), concat('method:', recovery_method)) AS rt_journey,
      timestamp AS rt_ts, recovery_stage AS rt_stage
    FROM ceremony_events
    WHERE event_name = 'account.recovery' AND recovery_stage IN ('completed', 'failed', 'abandoned')
      AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND user_id IN (SELECT user_id FROM recovery_starts)
  ),
  recoveries AS (
    SELECT
      s.user_id AS user_id, s.recovery_key AS recovery_key, s.flow_id AS flow_id, s.started_at AS started_at,
      s.method AS method, s.device_class AS device_class,
      if(countIf(t.rt_stage != '' AND t.rt_ts >= s.started_at) > 0,
         argMinIf(t.rt_stage, t.rt_ts, t.rt_stage != '' AND t.rt_ts >= s.started_at),
         'in_progress') AS outcome
    FROM recovery_starts AS s
    LEFT JOIN recovery_terminals AS t ON t.rt_user = s.user_id AND t.rt_journey = s.journey_key
    GROUP BY s.user_id, s.recovery_key, s.flow_id, s.started_at, s.method, s.device_class
  )`;

export const ACTIVE_SIGN_INS = sql`
  active_sign_ins AS (
    SELECT user_id AS active_user, timestamp AS signed_in_at
    FROM ceremony_events
    WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''
      AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ${FILTER_PREDICATE}
  )`;
