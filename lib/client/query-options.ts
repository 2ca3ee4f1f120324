/**
 * TanStack `queryOptions` factories for the core dashboard pages, keyed `[feature, question, params]`.
 * Every response is validated with the contract schema its route uses (lib/contracts/*).
 */
import { zFallbackCohortResponse, zFallbackMethodsResponse, zFallbackWeeklyResponse } from '@/lib/contracts/cohorts';
import { zOverviewResponse } from '@/lib/contracts/overview';
import { REGISTRATION_GROUP_BY, zRegistrationResponse, type RegistrationGroupBy } from '@/lib/contracts/registration';
import { zSigninResponse } from '@/lib/contracts/signin';
import { apiUrl, type ApiParams } from './api';
import { apiQuery } from './api-query';
import { FILTER_KEYS, type GlobalFilters } from './global-params';

/** What every metric query is asked with: the window and the global filters. */
export interface MetricsParams {
  from: string;
  to: string;
  /** The zone of day buckets (`tz`); UTC when absent. */
  tz?: string;
  filters: GlobalFilters;
}

/** Flat API params (lists comma-joined by apiUrl; empty ones dropped). */
export function toApiParams({ from, to, tz, filters }: MetricsParams): ApiParams {
  const params: ApiParams = { from, to, tz: tz && tz !== 'UTC' ? tz : undefined };
  for (const key of FILTER_KEYS) params[key] = filters[key];
  return params;
}

export const overviewQuery = (params: MetricsParams) =>
  apiQuery(['overview', 'headlines', params], { path: '/api/v1/overview', params: toApiParams(params), schema: zOverviewResponse });

export const registrationQuery = (params: MetricsParams & { groupBy: RegistrationGroupBy }) =>
  apiQuery(['registration', 'by-group', params], {
    path: '/api/v1/registration',
    params: { ...toApiParams(params), groupBy: params.groupBy },
    schema: zRegistrationResponse,
  });

/** The Registration page's grouping from its URL (`groupBy`), by device class when absent or unknown. */
export function registrationGroupBy(search: URLSearchParams): RegistrationGroupBy {
  const requested = search.get('groupBy');
  return (REGISTRATION_GROUP_BY as readonly (string | null)[]).includes(requested) ? (requested as RegistrationGroupBy) : 'deviceClass';
}

export const signinQuery = (params: MetricsParams) =>
  apiQuery(['signin', 'summary', params], { path: '/api/v1/signin', params: toApiParams(params), schema: zSigninResponse });

export const fallbackCohortQuery = (params: MetricsParams) =>
  apiQuery(['cohorts', 'fallback', params], {
    path: '/api/v1/cohorts/fallback',
    params: toApiParams(params),
    schema: zFallbackCohortResponse,
  });

/** The CSV export of the fallback-reliant cohort's user ids (all pages), one reason or all. */
export function fallbackCohortCsvUrl(params: MetricsParams, reason: string): string {
  return apiUrl('/api/v1/cohorts/fallback/users', { ...toApiParams(params), reason, format: 'csv' });
}

/** Who still depends on each fallback method (GET /api/v1/cohorts/fallback/methods). */
export const fallbackMethodsQuery = (params: MetricsParams) =>
  apiQuery(['cohorts', 'fallback-methods', params], {
    path: '/api/v1/cohorts/fallback/methods',
    params: toApiParams(params),
    schema: zFallbackMethodsResponse,
  });

/** The fallback-reliant cohort week by week (GET /api/v1/cohorts/fallback/weekly). */
export const fallbackWeeklyQuery = (params: MetricsParams) =>
  apiQuery(['cohorts', 'fallback-weekly', params], {
    path: '/api/v1/cohorts/fallback/weekly',
    params: toApiParams(params),
    schema: zFallbackWeeklyResponse,
  });
