/** TanStack `queryOptions` for the time charts' annotations (GET /api/v1/annotations), and the hook pages use. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { zAnnotationsResponse, type Annotation } from '@/lib/contracts/annotations';
import { fetchApi, shouldRetry } from './api';
import { toApiParams, type MetricsParams } from './query-options';
import { useGlobalParams } from './use-global-params';

export const annotationsQuery = (params: MetricsParams) =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 60_000,
    queryKey: ['annotations', params] as const,
    queryFn: ({ signal }) => fetchApi('/api/v1/annotations', toApiParams(params), zAnnotationsResponse, { signal }),
  });

const NONE: readonly Annotation[] = [];

/**
 * The annotations of the page's window and filters: every chart of a page shares one request. A
 * chart draws without them while they load or when they fail — they are context, not data.
 */
export function useAnnotations(): readonly Annotation[] {
  const { from, to, tz, filters } = useGlobalParams();
  return useQuery(annotationsQuery({ from, to, tz, filters })).data?.annotations ?? NONE;
}
