/** TanStack `queryOptions` for the security signals. */
import { queryOptions } from '@tanstack/react-query';
import { zSecurityResponse } from '@/lib/contracts/security';
import { fetchApi, shouldRetry } from './api';
import { toApiParams, type MetricsParams } from './query-options';

export const securityQuery = (params: MetricsParams & { limit?: number }) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    queryKey: ['security', 'signals', params] as const,
    queryFn: ({ signal }) =>
      fetchApi('/api/v1/security', { ...toApiParams(params), limit: params.limit ?? 50 }, zSecurityResponse, { signal }),
  });
