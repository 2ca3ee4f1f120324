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

/** The counts of a row, over active users `a` left-joined to their latest report `r` (per class, or per user for the total). */
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
    active AS (SELECT DISTINCT user_id, device_class FROM sign_ins),
    flow_users AS (SELECT flow_id, any(user_id) AS flow_user FROM sign_ins WHERE flow_id != '' GROUP BY flow_id),
    -- A report counts for a device class the user was active on (so every report here has a user).
    active_reports AS MATERIALIZED (
      SELECT r.report_user AS report_user, r.report_device_class AS report_device_class, r.at AS at,
             r.uvpaa AS uvpaa, r.conditional_get AS conditional_get
      FROM (
        SELECT
          if(c.user_id != '', c.user_id, f.flow_user) AS report_user,
          c.device_class AS report_device_class,
          c.timestamp AS at,
          c.client_uvpaa AS uvpaa,
          c.client_conditional_get AS conditional_get
        FROM filtered AS c
        LEFT JOIN flow_users AS f ON f.flow_id = c.flow_id
        WHERE c.event_name = 'passkey.client.capabilities'
      ) AS r
      INNER JOIN active AS a ON a.user_id = r.report_user AND a.device_class = r.report_device_class
    ),
    per_class AS (
      SELECT report_user, report_device_class, argMax(uvpaa, at) AS uvpaa, argMax(conditional_get, at) AS conditional_get
      FROM active_reports
      GROUP BY report_user, report_device_class
    ),
    per_user AS (
      SELECT report_user, argMax(uvpaa, at) AS uvpaa, argMax(conditional_get, at) AS conditional_get
      FROM active_reports
      GROUP BY report_user
    )
    SELECT * FROM (
      SELECT
        'class' AS part,
        a.device_class AS deviceClass,
        ${CAPABILITY_COUNTS}
      FROM active AS a
      LEFT JOIN per_class AS r ON r.report_user = a.user_id AND r.report_device_class = a.device_class
      GROUP BY a.device_class
      UNION ALL
      SELECT
        'total' AS part,
        '' AS deviceClass,
        ${CAPABILITY_COUNTS}
      FROM (SELECT DISTINCT user_id FROM active) AS a
      LEFT JOIN per_user AS r ON r.report_user = a.user_id
    )
    ORDER BY part, activeUsers DESC, deviceClass
  `.text,
});
