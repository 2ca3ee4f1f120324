/** TanStack `queryOptions` for client capabilities (GET /api/v1/capabilities). */
import { zCapabilitiesResponse } from '@/lib/contracts/capabilities';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

export const capabilitiesQuery = (params: MetricsParams) =>
  apiQuery(['capabilities', params], { path: '/api/v1/capabilities', params: toApiParams(params), schema: zCapabilitiesResponse });
