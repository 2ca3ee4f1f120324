/**
 * Upsell conversion by exposure (docs/metrics.md, "Repeated prompts"): each `passkey.upsell`
 * `shown` event in the window that passes the filters, numbered among every `shown` event of its
 * user before `to` (1 = the first time that user was asked, whatever the filters), bucketed 1, 2, 3,
 * 4+; accepted when an `accepted` upsell event of the same flow follows it, registered when, after
 * that acceptance, the user completes a passkey registration within an hour.
 *
 * The number is the user's `shown` events before `from` (a count per user) plus the event's rank
 * among the user's `shown` events in the window: the same position as a rank over the whole history,
 * without ranking every `shown` event ever sent. The ranked window and the conversions are
 * MATERIALIZED (each is read several times; ClickHouse would otherwise compute an inlined CTE again
 * at every reference). The acceptances and registrations are joined, not narrowed first with
 * `IN (SELECT …)`: those sets (every flow or user asked) cost more to build than the few upsell and
 * registration events they would have left out (docs/performance.md, "Materialized CTEs switched
 * on, large IN sets bounded").
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTER_PREDICATE, zWindowFilterParams } from './shared';

const count = z.number().int().nonnegative();

export const zUpsellExposureRow = z.object({
  /** 1, 2, 3 or 4 (= the 4th time or later). */
  exposure: z.number().int().min(1).max(4),
  shown: count,
  accepted: count,
  registered: count,
});
export type UpsellExposureRow = z.infer<typeof zUpsellExposureRow>;

export const upsellExposures = defineQuery({
  name: 'upsell-exposures',
  params: zWindowFilterParams,
  row: zUpsellExposureRow,
  sql: sql`
    WITH
    window_shown AS MATERIALIZED (
      SELECT user_id, flow_id, timestamp, ${FILTER_PREDICATE} AS passes,
             row_number() OVER (PARTITION BY user_id ORDER BY timestamp, flow_id) AS rank_in_window
      FROM ceremony_events
      WHERE event_name = 'passkey.upsell' AND upsell_outcome = 'shown' AND user_id != ''
        AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
    ),
    earlier AS (
      SELECT user_id, count() AS times
      FROM ceremony_events
      WHERE event_name = 'passkey.upsell' AND upsell_outcome = 'shown' AND user_id != ''
        AND timestamp < {from:DateTime64(3, 'UTC')}
      GROUP BY user_id
    ),
    asked AS MATERIALIZED (
      SELECT s.user_id AS user_id, s.flow_id AS flow_id, s.timestamp AS timestamp,
             least(s.rank_in_window + e.times, 4) AS exposure
      FROM window_shown AS s
      LEFT JOIN earlier AS e ON e.user_id = s.user_id
      WHERE s.passes
    ),
    accepted AS (
      SELECT user_id, flow_id, min(timestamp) AS accepted_at
      FROM ceremony_events
      WHERE event_name = 'passkey.upsell' AND upsell_outcome = 'accepted' AND flow_id != ''
        AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')} + INTERVAL 1 HOUR
      GROUP BY user_id, flow_id
    ),
    conversions AS MATERIALIZED (
      SELECT a.user_id AS user_id, a.flow_id AS flow_id, a.exposure AS exposure,
             c.flow_id != '' AND c.accepted_at >= a.timestamp AS was_accepted, c.accepted_at AS accepted_at
      FROM asked AS a
      LEFT JOIN accepted AS c ON c.user_id = a.user_id AND c.flow_id = a.flow_id
    ),
    registrations AS (
      SELECT user_id, timestamp
      FROM ceremony_events
      WHERE event_name = 'passkey.registration' AND result = 'success'
        AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')} + INTERVAL 2 HOUR
    )
    SELECT exposure, count() AS shown, countIf(was_accepted) AS accepted,
           countIf(was_accepted AND (user_id, flow_id) IN (
             SELECT v.user_id, v.flow_id FROM conversions AS v INNER JOIN registrations AS r ON r.user_id = v.user_id
             WHERE v.was_accepted AND r.timestamp >= v.accepted_at AND r.timestamp < v.accepted_at + INTERVAL 1 HOUR)) AS registered
    FROM conversions
    GROUP BY exposure
    ORDER BY exposure
  `.text,
});
