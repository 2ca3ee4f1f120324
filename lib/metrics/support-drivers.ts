/**
 * GET /api/v1/support/drivers and /support/drivers/tickets: the rows of
 * sql/queries/support-ticket-drivers.ts ranked into drivers with their category, channel and daily
 * breakdowns, and the tickets behind one driver a page at a time or as CSV
 * (docs/metrics-recovery-support.md, "Support ticket drivers").
 */
import 'server-only';
import {
  ATTRIBUTION_WINDOW_HOURS,
  DRIVER_KINDS,
  SUPPORT_TICKET_CSV_COLUMNS,
  type AttributedTicket,
  type DriverKind,
  type SupportDriversResponse,
  type TicketDriverRow,
} from '@/lib/contracts/support';
import type { Filters } from '@/lib/domain/filters';
import { fillUrlTemplate } from '@/lib/domain/url-templates';
import { env } from '@/lib/env';
import { runQuery } from '@/lib/query';
import { windowFilterParams } from '@/sql/queries/shared';
import { supportTicketDrivers, type TicketDriverCountRow } from '@/sql/queries/support-ticket-drivers';
import { supportTicketsOfDriver } from '@/sql/queries/support-tickets-of-driver';
import { csvDocument } from './csv';
import { byCountThenName } from './ranking';
import { previousWindow, windowDays, windowEcho, type TimeWindow } from './windows';

const KINDS: ReadonlySet<string> = new Set(DRIVER_KINDS);

/**
 * Pure: the query's rows → drivers ranked by tickets, then users affected, then previous tickets,
 * then name; each with its categories, channels and one entry per day (in the zone `tz`) of the window.
 */
export function rankDrivers(rows: readonly TicketDriverCountRow[], window: TimeWindow): TicketDriverRow[] {
  const totalTickets = rows.find((row) => row.part === 'total' && row.period === 'current')?.tickets ?? 0;
  const days = windowDays(window);
  const drivers = new Map<string, TicketDriverRow>();
  const entry = (row: TicketDriverCountRow) => {
    let driver = drivers.get(row.driver);
    if (!driver) {
      driver = {
        driver: row.driver,
        kind: (KINDS.has(row.kind) ? row.kind : 'none') as DriverKind,
        reason: row.reason,
        tickets: 0,
        usersAffected: 0,
        share: 0,
        previousTickets: 0,
        previousUsersAffected: 0,
        categories: [],
        channels: [],
        daily: days.map((day) => ({ day, tickets: 0 })),
      };
      drivers.set(row.driver, driver);
    }
    return driver;
  };
  for (const row of rows) {
    if (row.part === 'total' || row.driver === '') continue;
    const driver = entry(row);
    if (row.part === 'driver' && row.period === 'current') {
      driver.tickets = row.tickets;
      driver.usersAffected = row.usersAffected;
      driver.share = totalTickets === 0 ? 0 : row.tickets / totalTickets;
    } else if (row.part === 'driver') {
      driver.previousTickets = row.tickets;
      driver.previousUsersAffected = row.usersAffected;
    } else if (row.period === 'current' && row.part === 'category') {
      driver.categories.push({ category: row.category, tickets: row.tickets });
    } else if (row.period === 'current' && row.part === 'channel') {
      driver.channels.push({ channel: row.channel, tickets: row.tickets });
    } else if (row.period === 'current' && row.part === 'day') {
      const day = driver.daily.find((d) => d.day === row.day);
      if (day) day.tickets = row.tickets;
    }
  }
  for (const driver of drivers.values()) {
    driver.categories.sort(
      byCountThenName(
        (c) => c.tickets,
        (c) => c.category,
      ),
    );
    driver.channels.sort(
      byCountThenName(
        (c) => c.tickets,
        (c) => c.channel,
      ),
    );
  }
  return [...drivers.values()].sort(
    (a, b) =>
      b.tickets - a.tickets ||
      b.usersAffected - a.usersAffected ||
      b.previousTickets - a.previousTickets ||
      (a.driver < b.driver ? -1 : a.driver > b.driver ? 1 : 0),
  );
}

/** The attribution parameters: candidates are read from the earliest instant a ticket of the previous period can look back to. */
function attributionParams(query: TimeWindow & Filters) {
  const previous = previousWindow(query);
  return {
    ...windowFilterParams(query, query),
    from: new Date(previous.from.getTime() - ATTRIBUTION_WINDOW_HOURS * 3_600_000),
    windowFrom: query.from,
    previousFrom: previous.from,
  };
}

/** One page of a driver's tickets in W, newest first, and how many it has in all. */
export async function ticketsOfDriver(
  query: TimeWindow & Filters,
  driver: string,
  limit: number,
  offset: number,
): Promise<{ items: AttributedTicket[]; total: number }> {
  const params = { ...attributionParams(query), driver, limit, offset };
  const rows = await runQuery(supportTicketsOfDriver, params);
  // A page past the end has no row to carry the total: ask for the first ticket instead.
  const total =
    rows[0]?.total ?? (offset > 0 ? ((await runQuery(supportTicketsOfDriver, { ...params, limit: 1, offset: 0 }))[0]?.total ?? 0) : 0);
  return { items: rows.map(({ total: _total, ...ticket }) => ticket), total };
}

export async function supportDriversResponse(query: TimeWindow & Filters): Promise<SupportDriversResponse> {
  const previous = previousWindow(query);
  const rows = await runQuery(supportTicketDrivers, attributionParams(query));
  const total = (period: 'current' | 'previous') => rows.find((row) => row.part === 'total' && row.period === period);
  const drivers = rankDrivers(rows, query);
  return {
    ...windowEcho(query, query),
    previous: {
      from: previous.from.toISOString(),
      to: previous.to.toISOString(),
      tickets: total('previous')?.tickets ?? 0,
      usersAffected: total('previous')?.usersAffected ?? 0,
    },
    tickets: total('current')?.tickets ?? 0,
    usersAffected: total('current')?.usersAffected ?? 0,
    drivers,
  };
}

export const ticketUrlTemplate = (): string | null => env().SUPPORT_TICKET_URL_TEMPLATE ?? null;

/** Pure: tickets as CSV (SUPPORT_TICKET_CSV_COLUMNS), each with its help-desk link when a template is configured. */
export function ticketsCsv(items: readonly AttributedTicket[], template: string | null, raw: boolean): string {
  return csvDocument(
    SUPPORT_TICKET_CSV_COLUMNS,
    items.map((t) => [
      t.ticketId,
      t.openedAt,
      t.userId,
      t.category,
      t.channel,
      t.driver,
      t.ceremonyId ?? '',
      t.recoveryFlowId ?? '',
      t.attributedAt ?? '',
      t.deviceClass ?? '',
      t.credentialId ?? '',
      fillUrlTemplate(template, '{ticketId}', t.ticketId) ?? '',
    ]),
    { raw },
  );
}
