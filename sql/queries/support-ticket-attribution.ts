/**
 * Ticket attribution (DESIGN.md section 4, ticket drivers), shared by the drivers ranking and the
 * tickets behind one driver.
 *
 * A ticket counts once, at its first `support.ticket` event with stage `opened`; later stages
 * (updated, resolved, …) never count. It is attributed to its user's most recent failed or cancelled
 * ceremony (CEREMONIES: the ceremony's time is its first event) or failed recovery in
 * [T − 72 h, T); the driver is `{type}:{reason}` with CEREMONIES' reason (server reason, else browser
 * reason, else prompt outcome), `recovery:failed`, or `no_preceding_failure`. Ties at the same
 * instant go to the larger ceremony id, then flow id, so the answer is deterministic.
 *
 * Parameters: tickets opened in [previousFrom, to) are read — `period` says whether a ticket is in W
 * = [windowFrom, to) or the previous period of equal length — so `from` must be previousFrom − 72 h,
 * the earliest instant any ticket can look back to.
 *
 * Filters: candidates are filtered like every event (the CEREMONIES CTE does it). Tickets usually
 * come from support tooling that knows no device, so a ticket is filtered on its context: its own
 * device class / OS / browser when it carries them, else those of the failure it is attributed to;
 * risk tier and rollout variant are the ticket's. (Filtering a device-less ticket on its own
 * `other` device class would empty the page under any device filter.) Its environment is its own
 * when it carries one, else the attributed failure's; its service and service / OS / browser
 * versions are those of the failure it is attributed to (the support tool's own release says
 * nothing of the product's), its own when it is attributed to none.
 */
import { z } from 'zod';
import { sql } from '@/lib/sql';
import { CEREMONIES, FILTER_PREDICATE, zWindowFilterParams } from './shared';

export const zTicketAttributionParams = zWindowFilterParams.extend({
  windowFrom: z.date(),
  previousFrom: z.date(),
});
export type TicketAttributionParams = z.infer<typeof zTicketAttributionParams>;

const ATTRIBUTABLE = sql`(c.c_at >= t.t_opened_at - INTERVAL 72 HOUR AND c.c_at < t.t_opened_at)`;

export const TICKET_ATTRIBUTION = sql`
  ${CEREMONIES},
  ticket_candidates AS (
    SELECT user_id AS c_user, started_at AS c_at, concat(type, ':', reason) AS c_driver, type AS c_kind, reason AS c_reason,
           ceremony_key AS c_ceremony, '' AS c_flow, toString(device_class) AS c_device_class, toString(os_name) AS c_os,
           toString(browser_name) AS c_browser, credential_id AS c_credential,
           (toString(environment), toString(service_name), toString(service_version), toString(os_version),
            toString(browser_version)) AS c_release
    FROM ceremonies
    WHERE outcome IN ('failure', 'cancelled') AND user_id != ''
    UNION ALL
    SELECT user_id, timestamp, 'recovery:failed', 'recovery', 'failed', '', flow_id, toString(device_class), toString(os_name),
           toString(browser_name), '',
           (toString(environment), toString(service_name), toString(service_version), toString(os_version),
            toString(browser_version))
    FROM ceremony_events
    WHERE event_name = 'account.recovery' AND recovery_stage = 'failed' AND user_id != ''
      AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ${FILTER_PREDICATE}
  ),
  opened_tickets AS (
    SELECT
      ticket_id AS t_id,
      argMin(user_id, timestamp) AS t_user,
      min(timestamp) AS t_opened_at,
      argMin(ticket_category, timestamp) AS t_category,
      argMin(ticket_channel, timestamp) AS t_channel,
      toString(argMin(device_class, timestamp)) AS t_device_class,
      toString(argMin(os_name, timestamp)) AS t_os,
      toString(argMin(browser_name, timestamp)) AS t_browser,
      argMin(device_class_source, timestamp) AS t_device_source,
      argMin(risk_tier, timestamp) AS t_risk_tier,
      argMin(rollout_variant, timestamp) AS t_variant,
      argMin((toString(environment), toString(service_name), toString(service_version), toString(os_version),
              toString(browser_version)), timestamp) AS t_release
    FROM ceremony_events
    WHERE event_name = 'support.ticket' AND ticket_stage = 'opened'
      AND timestamp >= {previousFrom:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
    GROUP BY ticket_id
  ),
  ticket_picks AS (
    SELECT
      t.t_id AS t_id, t.t_user AS t_user, t.t_opened_at AS t_opened_at, t.t_category AS t_category, t.t_channel AS t_channel,
      t.t_device_class AS t_device_class, t.t_os AS t_os, t.t_browser AS t_browser, t.t_device_source AS t_device_source,
      t.t_risk_tier AS t_risk_tier, t.t_variant AS t_variant, t.t_release AS t_release,
      countIf(${ATTRIBUTABLE}) > 0 AS attributed,
      argMaxIf(
        (c.c_driver, c.c_kind, c.c_reason, c.c_ceremony, c.c_flow, c.c_at, c.c_device_class, c.c_os, c.c_browser, c.c_credential,
         c.c_release),
        (c.c_at, c.c_ceremony, c.c_flow),
        ${ATTRIBUTABLE}) AS pick
    FROM opened_tickets AS t
    LEFT JOIN ticket_candidates AS c ON c.c_user = t.t_user
    GROUP BY t.t_id, t.t_user, t.t_opened_at, t.t_category, t.t_channel, t.t_device_class, t.t_os, t.t_browser,
             t.t_device_source, t.t_risk_tier, t.t_variant, t.t_release
  ),
  ticket_contexts AS (
    SELECT
      t_id AS ticket_id, t_user AS user_id, t_opened_at AS opened_at, t_category AS category, t_channel AS channel,
      if(t_opened_at >= {windowFrom:DateTime64(3, 'UTC')}, 'current', 'previous') AS period,
      attributed,
      if(attributed, tupleElement(pick, 1), 'no_preceding_failure') AS driver,
      if(attributed, tupleElement(pick, 2), 'none') AS kind,
      if(attributed, tupleElement(pick, 3), '') AS reason,
      if(attributed AND tupleElement(pick, 4) != '', tupleElement(pick, 4), NULL) AS attributed_ceremony,
      if(attributed AND tupleElement(pick, 5) != '', tupleElement(pick, 5), NULL) AS attributed_flow,
      if(attributed, toNullable(tupleElement(pick, 6)), NULL) AS attributed_at,
      if(attributed, toNullable(tupleElement(pick, 7)), NULL) AS attributed_device_class,
      if(attributed AND tupleElement(pick, 10) != '', tupleElement(pick, 10), NULL) AS attributed_credential,
      -- the filter context (column names FILTER_PREDICATE reads)
      if(t_device_source = 'none' AND attributed, tupleElement(pick, 7), t_device_class) AS device_class,
      if(t_device_source = 'none' AND attributed, tupleElement(pick, 8), t_os) AS os_name,
      if(t_device_source = 'none' AND attributed, tupleElement(pick, 9), t_browser) AS browser_name,
      t_risk_tier AS risk_tier,
      t_variant AS rollout_variant,
      if(tupleElement(t_release, 1) = '' AND attributed, tupleElement(tupleElement(pick, 11), 1), tupleElement(t_release, 1)) AS environment,
      tupleElement(if(attributed, tupleElement(pick, 11), t_release), 2) AS service_name,
      tupleElement(if(attributed, tupleElement(pick, 11), t_release), 3) AS service_version,
      if(t_device_source = 'none' AND attributed, tupleElement(tupleElement(pick, 11), 4), tupleElement(t_release, 4)) AS os_version,
      if(t_device_source = 'none' AND attributed, tupleElement(tupleElement(pick, 11), 5), tupleElement(t_release, 5)) AS browser_version,
      '' AS credential_id, '' AS provider_name, '' AS credential_kind
    FROM ticket_picks
  ),
  tickets AS (
    SELECT * FROM ticket_contexts WHERE ${FILTER_PREDICATE}
  )`;
