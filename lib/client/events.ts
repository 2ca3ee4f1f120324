/** TanStack `queryOptions` for Lookup: one subject's events (newest first) and credentials. */
import { queryOptions } from '@tanstack/react-query';
import { zEventsResponse } from '@/lib/contracts/events';
import { fetchApi, shouldRetry } from './api';

export type EventsSubjectType = 'userId' | 'credentialId' | 'flowId' | 'ceremonyId' | 'traceId';

export const subjectEventsQuery = (params: { type: EventsSubjectType; value: string; from: string; to: string; limit?: number }) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 15_000,
    queryKey: ['events', 'subject', params] as const,
    queryFn: ({ signal }) =>
      fetchApi(
        '/api/v1/events',
        { [params.type]: params.value, from: params.from, to: params.to, limit: params.limit ?? 500 },
        zEventsResponse,
        { signal },
      ),
  });
