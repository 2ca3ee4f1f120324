/**
 * The dimensions a metric can be grouped by: pure keys, shared by the contracts that accept them
 * (lib/contracts/registration.ts, lib/contracts/failures.ts) and the queries that map each key to
 * its column (sql/queries/registration-ceremonies-by-dimension.ts, sql/queries/failures-by-group.ts,
 * sql/queries/failures-series.ts).
 */

/** GET /api/v1/registration?groupBy=…: one dimension. */
export const REGISTRATION_GROUP_BY = [
  'deviceClass',
  'os',
  'browser',
  'provider',
  'credentialKind',
  'environment',
  'service',
  'serviceVersion',
] as const;
export type RegistrationGroupBy = (typeof REGISTRATION_GROUP_BY)[number];

/** GET /api/v1/failures?groupBy=…: up to three dimensions at once. */
export const FAILURE_DIMENSIONS = [
  'reason',
  'outcome',
  'type',
  'deviceClass',
  'os',
  'browser',
  'provider',
  'credentialKind',
  'surface',
  'environment',
  'service',
  'serviceVersion',
] as const;
export type FailureDimension = (typeof FAILURE_DIMENSIONS)[number];

/** GET /api/v1/failures/series?groupBy=…: one dimension. */
export const FAILURE_SERIES_GROUPS = ['reason', 'deviceClass', 'serviceVersion'] as const;
export type FailureSeriesGroup = (typeof FAILURE_SERIES_GROUPS)[number];
/** GET /api/v1/failures/series?interval=…: the bucket size. */
export const FAILURE_SERIES_INTERVALS = ['hour', 'day'] as const;
export type FailureSeriesInterval = (typeof FAILURE_SERIES_INTERVALS)[number];
