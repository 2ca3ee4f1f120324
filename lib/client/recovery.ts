/** TanStack `queryOptions` for the Recovery page, keyed `[feature, question, params]`. */
import { queryOptions } from '@tanstack/react-query';
import { zRecoveryResponse, type RecoveryInterval } from '@/lib/contracts/recovery';
import { fetchApi, shouldRetry } from './api';
import { toApiParams, type MetricsParams } from './query-options';

export const recoveryQuery = (params: MetricsParams & { interval: RecoveryInterval }) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    queryKey: ['recovery', 'load', params] as const,
    queryFn: ({ signal }) =>
      fetchApi('/api/v1/recovery', { ...toApiParams(params), interval: params.interval }, zRecoveryResponse, { signal }),
  });
