/** TanStack `queryOptions` for passkey retention (GET /api/v1/retention). */
import { zRetentionResponse } from '@/lib/contracts/retention';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

export const retentionQuery = (params: MetricsParams) =>
  apiQuery(['retention', params], {
    path: '/api/v1/retention',
    params: { ...toApiParams(params), cohort: 'week' },
    schema: zRetentionResponse,
  });
