/** TanStack `queryOptions` for the security signals. */
import { zSecurityResponse } from '@/lib/contracts/security';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

export const securityQuery = (params: MetricsParams & { limit?: number }) =>
  apiQuery(['security', 'signals', params], {
    path: '/api/v1/security',
    params: { ...toApiParams(params), limit: params.limit ?? 50 },
    schema: zSecurityResponse,
  });
