/** TanStack `queryOptions` for passkey retention (GET /api/v1/retention). */
import { queryOptions } from '@tanstack/react-query';
import { zRetentionResponse } from '@/lib/contracts/retention';
import { fetchApi, shouldRetry } from './api';
import { toApiParams, type MetricsParams } from './query-options';

export const retentionQuery = (params: MetricsParams) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    queryKey: ['retention', params] as const,
    queryFn: ({ signal }) => fetchApi('/api/v1/retention', { ...toApiParams(params), cohort: 'week' }, zRetentionResponse, { signal }),
  });
