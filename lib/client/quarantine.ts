/** TanStack `queryOptions` for the quarantine (GET /api/v1/quarantine). */
import { queryOptions } from '@tanstack/react-query';
import { zQuarantineResponse } from '@/lib/contracts/quarantine';
import { fetchApi, shouldRetry } from './api';

export interface QuarantineParams {
  from: string;
  to: string;
  tz?: string;
  service: readonly string[];
  reason: readonly string[];
}

export const quarantineQuery = (params: QuarantineParams) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 30_000,
    queryKey: ['quarantine', params] as const,
    queryFn: ({ signal }) =>
      fetchApi(
        '/api/v1/quarantine',
        {
          from: params.from,
          to: params.to,
          tz: params.tz && params.tz !== 'UTC' ? params.tz : undefined,
          service: params.service,
          reason: params.reason,
          samples: 50,
        },
        zQuarantineResponse,
        { signal },
      ),
  });
