/** TanStack `queryOptions` for the time charts' annotations (GET /api/v1/annotations), and the hook pages use. */
import { useQuery } from '@tanstack/react-query';
import { zAnnotationsResponse, type Annotation } from '@/lib/contracts/annotations';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';
import { useGlobalParams } from './use-global-params';

export const annotationsQuery = (params: MetricsParams) =>
  apiQuery(
    ['annotations', params],
    { path: '/api/v1/annotations', params: toApiParams(params), schema: zAnnotationsResponse },
    { staleTime: 60_000 },
  );

const NONE: readonly Annotation[] = [];

/**
 * The annotations of the page's window and filters: every chart of a page shares one request. A
 * chart draws without them while they load or when they fail — they are context, not data.
 */
export function useAnnotations(): readonly Annotation[] {
  const { from, to, tz, filters } = useGlobalParams();
  return useQuery(annotationsQuery({ from, to, tz, filters })).data?.annotations ?? NONE;
}
