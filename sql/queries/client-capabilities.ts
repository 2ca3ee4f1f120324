/**
 * Client capabilities per device class (docs/metrics.md, "Client capabilities"): of the users active
 * on device class d in the window (A_d(W)), those whose latest `passkey.client.capabilities` report
 * on d in the window said a user-verifying platform authenticator is (or is not) available, and
 * conditional UI (passkey autofill) is (or is not). A report is the user's by its `user.id`, or —
 * sent from the login page before anyone signed in — by its `auth.flow.id`: the user of that flow's
 * successful sign-in. A report that names neither counts nowhere. One row per device class
 * (`part` = 'class'), ordered by active users, then name, and the total (`part` = 'total') over the
 * distinct users of A(W), each by their latest report on any device class they were active on.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS, zWindowFilterParams } from './shared';

const zCount = z.number().int().nonnegative();

/** The counts of a row, over active users `r` with their latest report (per class, or per user for the total; `report_user` '' when none). */
const CAPABILITY_COUNTS = sql`count() AS activeUsers,
        countIf(r.report_user != '') AS reported,
        countIf(r.report_user != '' AND r.uvpaa = true) AS platformAuthenticator,
        countIf(r.report_user != '' AND r.uvpaa = false) AS noPlatformAuthenticator,
        countIf(r.report_user != '' AND r.conditional_get = true) AS conditionalUi,
        countIf(r.report_user != '' AND r.conditional_get = false) AS noConditionalUi`;

export const clientCapabilities = defineQuery({
  name: 'client-capabilities',
  params: zWindowFilterParams,
  row: z.object({
    part: z.enum(['class', 'total']),
    deviceClass: z.string(),
    activeUsers: zCount,
    reported: zCount,
    platformAuthenticator: zCount,
    noPlatformAuthenticator: zCount,
    conditionalUi: zCount,
    noConditionalUi: zCount,
  }),
  sql: sql`
    WITH ${FILTERED_EVENTS},
    sign_ins AS (
      SELECT user_id, device_class, flow_id
      FROM filtered
      WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''
    ),
    anonymous_reports AS (
      SELECT flow_id, device_class, timestamp, client_uvpaa, client_conditional_get
      FROM filtered
      WHERE event_name = 'passkey.client.capabilities' AND user_id = '' AND flow_id != ''
    ),
    -- Only the flows an anonymous report names: every sign-in flow of a 90-day window at 10 M events
    -- did not fit the query's memory limit.
    flow_users AS (
      SELECT flow_id, any(user_id) AS flow_user
      FROM sign_ins
      WHERE flow_id IN (SELECT flow_id FROM anonymous_reports)
      GROUP BY flow_id
    ),
    -- A report is its user's by user.id, else by its flow's sign-in: two branches, not a join on
    -- if(user.id, flow user) (ClickHouse pushed the join with the active users through that LEFT JOIN
    -- and took over 60 s at 10 M events).
    reports AS (
      SELECT user_id AS report_user, device_class AS report_device_class, timestamp AS at,
             client_uvpaa AS uvpaa, client_conditional_get AS conditional_get
      FROM filtered
      WHERE event_name = 'passkey.client.capabilities' AND user_id != ''
      UNION ALL
      SELECT f.flow_user, c.device_class, c.timestamp, c.client_uvpaa, c.client_conditional_get
      FROM anonymous_reports AS c
      INNER JOIN flow_users AS f ON f.flow_id = c.flow_id
    ),
    -- Per user and device class, each attribute's latest reported value (argMax skips a report that
    -- left it out) and when it was reported, so the user's total can take the latest across classes.
    latest AS (
      SELECT report_user, report_device_class,
             argMax(uvpaa, at) AS last_uvpaa, maxIf(at, uvpaa IS NOT NULL) AS last_uvpaa_at,
             argMax(conditional_get, at) AS last_conditional_get, maxIf(at, conditional_get IS NOT NULL) AS last_conditional_get_at
      FROM reports
      GROUP BY report_user, report_device_class
    ),
    -- A_d(W) with each user's latest report on d (a report on a class the user was not active on counts nowhere).
    active AS MATERIALIZED (
      SELECT a.user_id AS user_id, a.device_class AS device_class, r.report_user AS report_user,
             r.last_uvpaa AS uvpaa, r.last_uvpaa_at AS uvpaa_at,
             r.last_conditional_get AS conditional_get, r.last_conditional_get_at AS conditional_get_at
      FROM (SELECT DISTINCT user_id, device_class FROM sign_ins) AS a
      LEFT JOIN latest AS r ON r.report_user = a.user_id AND r.report_device_class = a.device_class
    )
    SELECT * FROM (
      SELECT 'class' AS part, device_class AS deviceClass, ${CAPABILITY_COUNTS}
      FROM active AS r
      GROUP BY device_class
      UNION ALL
      SELECT 'total' AS part, '' AS deviceClass, ${CAPABILITY_COUNTS}
      FROM (
        SELECT user_id, max(a.report_user) AS report_user,
               argMax(a.uvpaa, a.uvpaa_at) AS uvpaa, argMax(a.conditional_get, a.conditional_get_at) AS conditional_get
        FROM active AS a
        GROUP BY user_id
      ) AS r
    )
    ORDER BY part, activeUsers DESC, deviceClass
  `.text,
});
