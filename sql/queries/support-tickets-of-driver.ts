/**
 * The tickets behind one driver in W, newest first, with the ceremony (or recovery flow) each was
 * attributed to, so the page can drill into that ceremony's events; each row carries the driver's
 * total (a window over every ticket, before LIMIT). Attribution and filters:
 * support-ticket-attribution.ts.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { TICKET_ATTRIBUTION, zTicketAttributionParams } from './support-ticket-attribution';

export const zTicketOfDriverRow = z.object({
  ticketId: z.string(),
  userId: z.string(),
  openedAt: z.string(),
  category: z.string(),
  channel: z.string(),
  driver: z.string(),
  ceremonyId: z.string().nullable(),
  recoveryFlowId: z.string().nullable(),
  attributedAt: z.string().nullable(),
  deviceClass: z.string().nullable(),
  credentialId: z.string().nullable(),
  /** The driver's tickets in W, all pages (the same on every row). */
  total: z.number().int().nonnegative(),
});
export type TicketOfDriverRow = z.infer<typeof zTicketOfDriverRow>;

export const supportTicketsOfDriver = defineQuery({
  name: 'support-tickets-of-driver',
  params: zTicketAttributionParams.extend({
    driver: z.string(),
    // a page (≤ 1,000) or a whole CSV export (≤ 100,000, MAX_TICKET_EXPORT_ROWS)
    limit: z.number().int().min(1).max(100_000),
    offset: z.number().int().min(0),
  }),
  row: zTicketOfDriverRow,
  sql: sql`
    WITH ${TICKET_ATTRIBUTION}
    SELECT
      ticket_id AS ticketId, user_id AS userId, opened_at AS openedAt, category, channel, driver,
      attributed_ceremony AS ceremonyId, attributed_flow AS recoveryFlowId, attributed_at AS attributedAt,
      attributed_device_class AS deviceClass, attributed_credential AS credentialId, count() OVER () AS total
    FROM tickets
    WHERE period = 'current' AND driver = {driver:String}
    ORDER BY opened_at DESC, ticket_id
    LIMIT {limit:UInt32} OFFSET {offset:UInt64}
  `.text,
});
