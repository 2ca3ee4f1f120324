/** TanStack `queryOptions` for support ticket drivers and the tickets behind one driver. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { zSupportDriverTicketsResponse, zSupportDriversResponse } from '@/lib/contracts/support';
import { apiUrl, fetchApi, shouldRetry } from './api';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

/** Tickets per page in the driver drill-down. */
export const DRIVER_TICKETS_PAGE_SIZE = 10;

const TICKETS_PATH = '/api/v1/support/drivers/tickets';

export const supportDriversQuery = (params: MetricsParams) =>
  apiQuery(['support', 'drivers', params], {
    path: '/api/v1/support/drivers',
    params: toApiParams(params),
    schema: zSupportDriversResponse,
  });

export const driverTicketsQuery = (params: MetricsParams & { driver: string; page?: number; pageSize?: number }) => {
  const key = { ...params, page: params.page ?? 1, pageSize: params.pageSize ?? DRIVER_TICKETS_PAGE_SIZE };
  return queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    // The page on screen stays while the next one loads (the drill-down remounts for another driver or window, so it never shows another's).
    placeholderData: keepPreviousData,
    queryKey: ['support', 'driver-tickets', key] as const,
    queryFn: ({ signal }) =>
      fetchApi(
        TICKETS_PATH,
        { ...toApiParams(params), driver: key.driver, page: key.page, pageSize: key.pageSize },
        zSupportDriverTicketsResponse,
        { signal },
      ),
  });
};

/** The CSV export of every ticket behind one driver in the window, with the same filters. */
export function driverTicketsCsvUrl(params: MetricsParams, driver: string): string {
  return apiUrl(TICKETS_PATH, { ...toApiParams(params), driver, format: 'csv' });
}
