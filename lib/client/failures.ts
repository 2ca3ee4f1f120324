/** TanStack `queryOptions` for the failures explorer: groups in Pareto order and a group's ceremonies. */
import {
  zFailuresResponse,
  zFailuresSeriesResponse,
  type FailureDimension,
  type FailureSeriesGroup,
  type FailureSeriesInterval,
} from '@/lib/contracts/failures';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

export interface FailuresParams extends MetricsParams {
  groupBy: FailureDimension[];
  /** Drill-down selectors and group filter values (narrowing the ceremony list), e.g. { reason: 'x' }. */
  selection?: Record<string, string>;
  page?: number;
  pageSize?: number;
}

export const failuresQuery = (params: FailuresParams) =>
  apiQuery(['failures', params.selection ? 'ceremonies' : 'groups', params], {
    path: '/api/v1/failures',
    params: { ...toApiParams(params), groupBy: params.groupBy, page: params.page, pageSize: params.pageSize, ...params.selection },
    schema: zFailuresResponse,
  });

export interface FailuresSeriesParams extends MetricsParams {
  interval: FailureSeriesInterval;
  groupBy: FailureSeriesGroup;
}

/** Failures and cancels per hour or day (GET /api/v1/failures/series). */
export const failuresSeriesQuery = (params: FailuresSeriesParams) =>
  apiQuery(['failures', 'series', params], {
    path: '/api/v1/failures/series',
    params: { ...toApiParams(params), interval: params.interval, groupBy: params.groupBy },
    schema: zFailuresSeriesResponse,
  });
