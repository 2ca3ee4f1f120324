/**
 * GET /api/v1/support/drivers — support tickets opened in W attributed to what drove them
 * (DESIGN.md section 4, ticket drivers), ranked, with the trend against the previous period of
 * equal length and each driver's tickets per category, channel and day;
 * GET /api/v1/support/drivers/tickets — the tickets behind one driver (paginated, or CSV).
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCsvRaw } from '@/lib/api/params';
import { zCount, zDay, zPreviousWindow, zWindowEcho } from '@/lib/metrics/contract-parts';

/** The driver of a ticket with no failed or cancelled ceremony or failed recovery in the 72 h before it. */
export const NO_PRECEDING_FAILURE = 'no_preceding_failure';
export const RECOVERY_FAILED_DRIVER = 'recovery:failed';
/** Attribution looks back this far from the ticket's opening, [T − 72 h, T). */
export const ATTRIBUTION_WINDOW_HOURS = 72;

export const DRIVER_KINDS = ['registration', 'authentication', 'recovery', 'none'] as const;
export type DriverKind = (typeof DRIVER_KINDS)[number];

export const DRIVER_PATTERN = /^(?:(?:registration|authentication):[a-z0-9_]{1,64}|recovery:failed|no_preceding_failure)$/;

export const zSupportDriversQuery = zFilterParams.and(zTimeRange);
export type SupportDriversQuery = z.input<typeof zSupportDriversQuery>;

export const zTicketDriverRow = z.object({
  /** `{registration|authentication}:{reason}`, `recovery:failed` or `no_preceding_failure`. */
  driver: z.string(),
  kind: z.enum(DRIVER_KINDS),
  /** The reason part of the driver ('' for no_preceding_failure). */
  reason: z.string(),
  tickets: zCount,
  /** Distinct users behind those tickets. */
  usersAffected: zCount,
  /** tickets ÷ all tickets opened in W. */
  share: z.number().min(0).max(1),
  /** Tickets with this driver in the previous period of equal length, [from − (to − from), from). */
  previousTickets: zCount,
  previousUsersAffected: zCount,
  /** This driver's tickets in W per `support.ticket.category` and per `support.ticket.channel`, most tickets first (ties by name). */
  categories: z.array(z.object({ category: z.string(), tickets: zCount })),
  channels: z.array(z.object({ channel: z.string(), tickets: zCount })),
  /** This driver's tickets opened on each UTC day of W, every day present (0 when none). */
  daily: z.array(z.object({ day: zDay, tickets: zCount })),
});
export type TicketDriverRow = z.infer<typeof zTicketDriverRow>;

export const zAttributedTicket = z.object({
  ticketId: z.string(),
  userId: z.string(),
  openedAt: z.iso.datetime(),
  category: z.string(),
  channel: z.string(),
  driver: z.string(),
  /** The attributed ceremony (its webauthn.ceremony.id; null for recovery and no_preceding_failure). */
  ceremonyId: z.string().nullable(),
  /** The attributed recovery's auth.flow.id (null unless the driver is recovery:failed). */
  recoveryFlowId: z.string().nullable(),
  /** When the attributed ceremony started / the recovery failed (null for no_preceding_failure). */
  attributedAt: z.iso.datetime().nullable(),
  /** Device class of the attributed ceremony or recovery (null for no_preceding_failure). */
  deviceClass: z.string().nullable(),
  credentialId: z.string().nullable(),
});
export type AttributedTicket = z.infer<typeof zAttributedTicket>;

export const zSupportDriversResponse = zWindowEcho.extend({
  /** The previous period of equal length, [from − (to − from), from), and its tickets. */
  previous: zPreviousWindow.extend({ tickets: zCount, usersAffected: zCount }),
  /** Tickets opened in W (each counted once, at its `opened` stage). */
  tickets: zCount,
  usersAffected: zCount,
  /** Ranked by tickets, then users affected, then driver; drivers seen only in the previous period come last with 0 tickets. */
  drivers: z.array(zTicketDriverRow),
});
export type SupportDriversResponse = z.infer<typeof zSupportDriversResponse>;

/** How many tickets one CSV export holds at most (the whole driver, unless `page` is given). */
export const MAX_TICKET_EXPORT_ROWS = 100_000;
export const SUPPORT_TICKET_CSV_COLUMNS = [
  'ticket_id',
  'opened_at',
  'user_id',
  'category',
  'channel',
  'driver',
  'ceremony_id',
  'recovery_flow_id',
  'attributed_at',
  'device_class',
  'credential_id',
  'ticket_url',
] as const;

/** GET /api/v1/support/drivers/tickets — the tickets behind one driver, a page at a time or as CSV. */
export const zSupportDriverTicketsQuery = z
  .object({
    driver: z
      .string({ message: 'is required' })
      .max(200, 'must be at most 200 characters')
      .regex(DRIVER_PATTERN, "must be '{registration|authentication}:{reason}', 'recovery:failed' or 'no_preceding_failure'"),
    page: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000).optional(),
    pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000).default(100),
    format: z.enum(['json', 'csv'], { message: "must be 'json' or 'csv'" }).default('json'),
    raw: zCsvRaw,
  })
  .and(zFilterParams)
  .and(zTimeRange);
export type SupportDriverTicketsQuery = z.input<typeof zSupportDriverTicketsQuery>;

export const zSupportDriverTicketsResponse = zWindowEcho.extend({
  driver: z.string(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
  /** The driver's tickets in W, all pages. */
  total: zCount,
  /** Newest first. */
  items: z.array(zAttributedTicket),
  /** SUPPORT_TICKET_URL_TEMPLATE: the help desk's URL with `{ticketId}` where the id goes; null when not configured. */
  ticketUrlTemplate: z.string().nullable(),
});
export type SupportDriverTicketsResponse = z.infer<typeof zSupportDriverTicketsResponse>;
