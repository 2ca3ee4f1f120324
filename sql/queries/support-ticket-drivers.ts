/**
 * Support ticket drivers: tickets opened in W and in the previous period of equal length, per driver,
 * with the users behind them; a row with driver '' per period carries the period's totals.
 * Attribution and filters: support-ticket-attribution.ts.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { TICKET_ATTRIBUTION, zTicketAttributionParams } from './support-ticket-attribution';

export const zTicketDriverCountRow = z.object({
  period: z.enum(['current', 'previous']),
  driver: z.string(),
  kind: z.string(),
  reason: z.string(),
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
    SELECT period, driver, any(kind) AS kind, any(reason) AS reason, count() AS tickets, uniqExact(user_id) AS usersAffected
    FROM tickets
    GROUP BY period, driver
    UNION ALL
    SELECT period, '' AS driver, '' AS kind, '' AS reason, count() AS tickets, uniqExact(user_id) AS usersAffected
    FROM tickets
    GROUP BY period
  `.text,
});
