/** TanStack `queryOptions` for client capabilities (GET /api/v1/capabilities). */
import { queryOptions } from '@tanstack/react-query';
import { zCapabilitiesResponse } from '@/lib/contracts/capabilities';
import { fetchApi, shouldRetry } from './api';
import { toApiParams, type MetricsParams } from './query-options';

export const capabilitiesQuery = (params: MetricsParams) =>
  queryOptions({
    retry: shouldRetry,
    staleTime: 30_000,
    queryKey: ['capabilities', params] as const,
    queryFn: ({ signal }) => fetchApi('/api/v1/capabilities', toApiParams(params), zCapabilitiesResponse, { signal }),
  });
