/**
 * Client capabilities per device class (docs/metrics.md, "Client capabilities"): of the users active
 * on device class d in the window (A_d(W)), those whose latest `passkey.client.capabilities` report
 * on d in the window said a user-verifying platform authenticator is (or is not) available, and
 * conditional UI (passkey autofill) is (or is not). A report is the user's by its `user.id`, or —
 * sent from the login page before anyone signed in — by its `auth.flow.id`: the user of that flow's
 * successful sign-in. A report that names neither counts nowhere. One row per device class, ordered
 * by active users, then name.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS, zWindowFilterParams } from './shared';

const zCount = z.number().int().nonnegative();

export const clientCapabilities = defineQuery({
  name: 'client-capabilities',
  params: zWindowFilterParams,
  row: z.object({
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
    reports AS (
      SELECT
        if(c.user_id != '', c.user_id, f.flow_user) AS report_user,
        c.device_class AS report_device_class,
        argMax(c.client_uvpaa, c.timestamp) AS uvpaa,
        argMax(c.client_conditional_get, c.timestamp) AS conditional_get
      FROM filtered AS c
      LEFT JOIN flow_users AS f ON f.flow_id = c.flow_id
      WHERE c.event_name = 'passkey.client.capabilities'
      GROUP BY report_user, report_device_class
      HAVING report_user != ''
    )
    SELECT
      a.device_class AS deviceClass,
      count() AS activeUsers,
      countIf(r.report_user != '') AS reported,
      countIf(r.report_user != '' AND r.uvpaa = true) AS platformAuthenticator,
      countIf(r.report_user != '' AND r.uvpaa = false) AS noPlatformAuthenticator,
      countIf(r.report_user != '' AND r.conditional_get = true) AS conditionalUi,
      countIf(r.report_user != '' AND r.conditional_get = false) AS noConditionalUi
    FROM active AS a
    LEFT JOIN reports AS r ON r.report_user = a.user_id AND r.report_device_class = a.device_class
    GROUP BY a.device_class
    ORDER BY activeUsers DESC, deviceClass
  `.text,
});
