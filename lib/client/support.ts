/** TanStack `queryOptions` for support ticket drivers and the tickets behind one driver. */
import { queryOptions } from '@tanstack/react-query';
import { zSupportDriversResponse } from '@/lib/contracts/support';
import { fetchApi, shouldRetry } from './api';
import { toApiParams, type MetricsParams } from './query-options';

export const supportDriversQuery = (params: MetricsParams) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    queryKey: ['support', 'drivers', params] as const,
    queryFn: ({ signal }) => fetchApi('/api/v1/support/drivers', toApiParams(params), zSupportDriversResponse, { signal }),
  });

export const driverTicketsQuery = (params: MetricsParams & { driver: string; page?: number; pageSize?: number }) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    queryKey: ['support', 'driver-tickets', params] as const,
    queryFn: ({ signal }) =>
      fetchApi(
        '/api/v1/support/drivers',
        { ...toApiParams(params), driver: params.driver, page: params.page ?? 1, pageSize: params.pageSize ?? 50 },
        zSupportDriversResponse,
        { signal },
      ),
  });
