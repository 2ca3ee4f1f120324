import { csvDay, csvResponse } from '@/lib/api/csv-response';
import { defineRoute } from '@/lib/api/define-route';
import { MAX_TICKET_EXPORT_ROWS, zSupportDriverTicketsQuery, zSupportDriverTicketsResponse } from '@/lib/contracts/support';
import { ticketsCsv, ticketsOfDriver, ticketUrlTemplate } from '@/lib/metrics/support-drivers';
import { windowEcho } from '@/lib/metrics/windows';

export const dynamic = 'force-dynamic';

/**
 * The tickets behind one driver, a page at a time (JSON), or as CSV: every ticket of the driver (up
 * to MAX_TICKET_EXPORT_ROWS) unless `page` is given, then that page; formula-like cells neutralised
 * unless `raw=1` (lib/metrics/csv.ts).
 */
export const GET = defineRoute({
  name: 'support-driver-tickets',
  path: '/api/v1/support/drivers/tickets',
  summary:
    'The tickets behind one support driver, newest first, a page at a time (JSON) or as a CSV export (format=csv), each with the ceremony or recovery it was attributed to.',
  parameters: {
    driver: 'The driver, e.g. `authentication:user_not_verified`, `recovery:failed` or `no_preceding_failure`.',
    page: '1-based page. JSON defaults to 1; a CSV export without `page` holds every ticket of the driver (up to 100,000).',
    pageSize: 'Tickets per page (1–1000, default 100).',
  },
  shared: true,
  query: zSupportDriverTicketsQuery,
  response: zSupportDriverTicketsResponse,
  handler: async ({ query }) => {
    const exportAll = query.format === 'csv' && query.page === undefined;
    const page = query.page ?? 1;
    const { items, total } = await ticketsOfDriver(
      query,
      query.driver,
      exportAll ? MAX_TICKET_EXPORT_ROWS : query.pageSize,
      exportAll ? 0 : (page - 1) * query.pageSize,
    );
    const template = ticketUrlTemplate();
    if (query.format === 'csv') {
      return csvResponse(
        ticketsCsv(items, template, query.raw),
        `tickets-${query.driver.replace(/[^a-z0-9_-]+/g, '-')}-${csvDay(query.from)}-${csvDay(query.to)}.csv`,
        total,
      );
    }
    return { ...windowEcho(query, query), driver: query.driver, page, pageSize: query.pageSize, total, items, ticketUrlTemplate: template };
  },
});
