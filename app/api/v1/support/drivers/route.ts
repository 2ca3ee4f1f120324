import { defineRoute } from '@/lib/api/define-route';
import {
  ATTRIBUTION_WINDOW_HOURS,
  DRIVER_KINDS,
  zSupportDriversQuery,
  zSupportDriversResponse,
  type DriverKind,
  type TicketDriverRow,
} from '@/lib/contracts/support';
import { previousWindow, windowEcho } from '@/lib/metrics/windows';
import { runQuery } from '@/lib/query';
import { windowFilterParams } from '@/sql/queries/shared';
import { supportTicketDrivers, type TicketDriverCountRow } from '@/sql/queries/support-ticket-drivers';
import { supportTicketsOfDriver } from '@/sql/queries/support-tickets-of-driver';

export const dynamic = 'force-dynamic';

const KINDS: ReadonlySet<string> = new Set(DRIVER_KINDS);

function rank(rows: TicketDriverCountRow[], totalTickets: number): TicketDriverRow[] {
  const drivers = new Map<string, TicketDriverRow>();
  for (const row of rows) {
    if (row.driver === '') continue;
    const entry = drivers.get(row.driver) ?? {
      driver: row.driver,
      kind: (KINDS.has(row.kind) ? row.kind : 'none') as DriverKind,
      reason: row.reason,
      tickets: 0,
      usersAffected: 0,
      share: 0,
      previousTickets: 0,
      previousUsersAffected: 0,
    };
    if (row.period === 'current') {
      entry.tickets = row.tickets;
      entry.usersAffected = row.usersAffected;
      entry.share = totalTickets === 0 ? 0 : row.tickets / totalTickets;
    } else {
      entry.previousTickets = row.tickets;
      entry.previousUsersAffected = row.usersAffected;
    }
    drivers.set(row.driver, entry);
  }
  return [...drivers.values()].sort(
    (a, b) =>
      b.tickets - a.tickets ||
      b.usersAffected - a.usersAffected ||
      b.previousTickets - a.previousTickets ||
      (a.driver < b.driver ? -1 : a.driver > b.driver ? 1 : 0),
  );
}

export const GET = defineRoute({
  name: 'support-drivers',
  path: '/api/v1/support/drivers',
  summary: 'Support tickets attributed to what drove them, ranked, against the previous window; with `driver`, the tickets behind one driver.',
  parameters: {
    driver: 'Drill-down: the tickets attributed to this driver, e.g. `authentication:user_not_verified`.',
  },
  query: zSupportDriversQuery,
  response: zSupportDriversResponse,
  handler: async ({ query }) => {
    const previous = previousWindow(query);
    // Candidates are read from the earliest instant a ticket of the previous period can look back to.
    const params = {
      ...windowFilterParams(query, query),
      from: new Date(previous.from.getTime() - ATTRIBUTION_WINDOW_HOURS * 3_600_000),
      windowFrom: query.from,
      previousFrom: previous.from,
    };
    const [rows, driverRows] = await Promise.all([
      runQuery(supportTicketDrivers, params),
      query.driver
        ? runQuery(supportTicketsOfDriver, {
            ...params,
            driver: query.driver,
            limit: query.pageSize,
            offset: (query.page - 1) * query.pageSize,
          })
        : Promise.resolve(null),
    ]);
    const total = (period: 'current' | 'previous') => rows.find((row) => row.driver === '' && row.period === period);
    const tickets = total('current')?.tickets ?? 0;
    const drivers = rank(rows, tickets);

    return {
      ...windowEcho(query, query),
      previous: {
        from: previous.from.toISOString(),
        to: previous.to.toISOString(),
        tickets: total('previous')?.tickets ?? 0,
        usersAffected: total('previous')?.usersAffected ?? 0,
      },
      tickets,
      usersAffected: total('current')?.usersAffected ?? 0,
      drivers,
      driverTickets:
        query.driver && driverRows
          ? {
              driver: query.driver,
              page: query.page,
              pageSize: query.pageSize,
              total: drivers.find((row) => row.driver === query.driver)?.tickets ?? 0,
              items: driverRows,
            }
          : null,
    };
  },
});
