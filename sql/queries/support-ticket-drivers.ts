/**
 * Support ticket drivers in one pass over the attributed tickets (support-ticket-attribution.ts):
 *   - `driver`: tickets opened in W and in the previous period of equal length, per driver, with the
 *     users behind them;
 *   - `total`: the same per period over every driver (driver '');
 *   - `category`, `channel`, `day`: each driver's tickets per ticket category, channel and UTC day
 *     of opening (day '' outside the `day` rows).
 * grouping(col) = 1 when col is not in the row's set.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { TICKET_ATTRIBUTION, zTicketAttributionParams } from './support-ticket-attribution';

export const zTicketDriverCountRow = z.object({
  part: z.enum(['driver', 'total', 'category', 'channel', 'day']),
  period: z.enum(['current', 'previous']),
  driver: z.string(),
  kind: z.string(),
  reason: z.string(),
  category: z.string(),
  channel: z.string(),
  day: z.string(),
  tickets: z.number().int().nonnegative(),
  usersAffected: z.number().int().nonnegative(),
});
export type TicketDriverCountRow = z.infer<typeof zTicketDriverCountRow>;

export const supportTicketDrivers = defineQuery({
  name: 'support-ticket-drivers',
  params: zTicketAttributionParams,
  row: zTicketDriverCountRow,
  sql: sql`
    WITH ${TICKET_ATTRIBUTION}
    SELECT
      multiIf(grouping(driver) = 1, 'total', grouping(category) = 0, 'category', grouping(channel) = 0, 'channel',
              grouping(opened_day) = 0, 'day', 'driver') AS part,
      period, driver, any(kind) AS kind, any(reason) AS reason, category, channel,
      if(grouping(opened_day) = 0, toString(opened_day), '') AS day,
      count() AS tickets, uniqExact(user_id) AS usersAffected
    FROM (SELECT *, toDate(opened_at, {tz:String}) AS opened_day FROM tickets)
    GROUP BY GROUPING SETS ((period, driver), (period), (period, driver, category), (period, driver, channel), (period, driver, opened_day))
  `.text,
});
