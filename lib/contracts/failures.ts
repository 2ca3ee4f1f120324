/**
 * GET /api/v1/failures — failed and cancelled ceremonies (DESIGN.md section 4 ceremony outcome)
 * grouped by any combination of dimensions, in Pareto order with the previous period of equal
 * length for the trend, plus the individual ceremonies of the current selection (paginated).
 *
 * Two kinds of narrowing:
 *   - the global filters (deviceClass, os, browser, provider, credentialKind, riskTier, variant,
 *     environment, service, serviceVersion, osVersion, browserVersion) narrow everything, the
 *     groups and the ceremony list;
 *   - the selectors `reason`, `outcome`, `type`, `surface` pick a group for the drill-down and narrow
 *     only the `ceremonies` list, so the Pareto stays whole while a row is inspected. To drill into a
 *     group keyed by a filter dimension (e.g. deviceClass), pass it as the filter.
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCount, zPreviousWindow, zWindowEcho } from '@/lib/metrics/contract-parts';
import { FAILURE_DIMENSIONS, FAILURE_SERIES_GROUPS, FAILURE_SERIES_INTERVALS } from '@/lib/domain/group-by';

export { FAILURE_DIMENSIONS, type FailureDimension } from '@/lib/domain/group-by';
export const FAILURE_OUTCOMES = ['failure', 'cancelled'] as const;
export const MAX_GROUP_ROWS = 1000;

const DIMENSION_SET: ReadonlySet<string> = new Set(FAILURE_DIMENSIONS);

const zGroupBy = z
  .string()
  .max(200, 'must be at most 200 characters')
  .default('reason')
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .superRefine((dims, ctx) => {
    const unknown = dims.find((dim) => !DIMENSION_SET.has(dim));
    if (unknown !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `'${unknown.slice(0, 40)}' is not a dimension; use a comma list of ${FAILURE_DIMENSIONS.join(', ')}`,
      });
    } else if (dims.length === 0) {
      ctx.addIssue({ code: 'custom', message: `name at least one dimension: ${FAILURE_DIMENSIONS.join(', ')}` });
    } else if (new Set(dims).size !== dims.length) {
      ctx.addIssue({ code: 'custom', message: 'must not repeat a dimension' });
    } else if (dims.length > 3) {
      ctx.addIssue({ code: 'custom', message: 'at most 3 dimensions at once' });
    }
  })
  .pipe(z.array(z.enum(FAILURE_DIMENSIONS)));

const selector = (item: z.ZodType<string, string>) =>
  z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(40, 'at most 40 values'));

export const zFailuresQuery = z
  .object({
    groupBy: zGroupBy,
    reason: selector(z.string().max(128, 'each value must be at most 128 characters')),
    outcome: selector(z.enum(FAILURE_OUTCOMES, { message: "must be 'failure' or 'cancelled'" })),
    type: selector(z.enum(['registration', 'authentication'], { message: "must be 'registration' or 'authentication'" })),
    surface: selector(z.string().max(64, 'each value must be at most 64 characters')),
    page: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000).default(1),
    pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500).default(50),
  })
  .and(zFilterParams)
  .and(zTimeRange);
export type FailuresQuery = z.input<typeof zFailuresQuery>;

export const zFailureGroup = z.object({
  /** The group's value per dimension of `groupBy`, e.g. { reason: 'user_not_verified', deviceClass: 'mobile-ios' }. */
  values: z.partialRecord(z.enum(FAILURE_DIMENSIONS), z.string()),
  /** Failed + cancelled ceremonies in the group. */
  ceremonies: zCount,
  failures: zCount,
  cancellations: zCount,
  /** ceremonies ÷ all failed + cancelled ceremonies in W. */
  share: z.number().min(0).max(1),
  /** Running sum of `share` in Pareto order. */
  cumulativeShare: z.number().min(0).max(1),
  /** The group's failed + cancelled ceremonies in the previous period, [from − (to − from), from). */
  previousCeremonies: zCount,
  /** Distinct users with a ceremony in the group. */
  users: zCount,
});
export type FailureGroup = z.infer<typeof zFailureGroup>;

export const zFailedCeremony = z.object({
  ceremonyId: z.string(),
  startedAt: z.iso.datetime(),
  userId: z.string(),
  type: z.string(),
  outcome: z.enum(FAILURE_OUTCOMES),
  reason: z.string(),
  deviceClass: z.string(),
  os: z.string(),
  browser: z.string(),
  surface: z.string(),
  credentialId: z.string(),
  credentialKind: z.string(),
  provider: z.string(),
  /** The ceremony's first event's `deployment.environment.name`, `service.name` and `service.version` ('' when not sent). */
  environment: z.string().default(''),
  service: z.string().default(''),
  serviceVersion: z.string().default(''),
});
export type FailedCeremony = z.infer<typeof zFailedCeremony>;

export const zFailuresResponse = zWindowEcho.extend({
  /** The previous period of equal length, [from − (to − from), from), and its failed + cancelled ceremonies. */
  previous: zPreviousWindow.extend({ ceremonies: zCount }),
  groupBy: z.array(z.enum(FAILURE_DIMENSIONS)),
  /** Failed + cancelled ceremonies in W (all groups). */
  ceremonies: zCount,
  failures: zCount,
  cancellations: zCount,
  /** Pareto order: most ceremonies first, ties by values; at most MAX_GROUP_ROWS rows. */
  groups: z.array(zFailureGroup),
  truncated: z.boolean(),
  /** The ceremonies of the selection (filters + reason/outcome/type/surface), newest first. */
  selection: z.object({
    reason: z.array(z.string()),
    outcome: z.array(z.string()),
    type: z.array(z.string()),
    surface: z.array(z.string()),
  }),
  ceremonyList: z.object({
    page: z.number().int().positive(),
    pageSize: z.number().int().positive(),
    total: zCount,
    items: z.array(zFailedCeremony),
  }),
});
export type FailuresResponse = z.infer<typeof zFailuresResponse>;

// ---------------------------------------------------------------------------------------------
// GET /api/v1/failures/series — failures and cancels per hour or day, by one dimension
// ---------------------------------------------------------------------------------------------

export {
  FAILURE_SERIES_GROUPS,
  FAILURE_SERIES_INTERVALS,
  type FailureSeriesGroup,
  type FailureSeriesInterval,
} from '@/lib/domain/group-by';
/** Buckets one answer may hold: 41 days of hours, 1,000 days of days. */
export const MAX_SERIES_BUCKETS = 1000;
/** The group that collects every value beyond the `top` largest. */
export const OTHER_GROUP = '(other)';

export const zFailuresSeriesQuery = z
  .object({
    interval: z.enum(FAILURE_SERIES_INTERVALS, { message: "must be 'hour' or 'day'" }).default('day'),
    groupBy: z.enum(FAILURE_SERIES_GROUPS, { message: `must be one of ${FAILURE_SERIES_GROUPS.join(', ')}` }).default('reason'),
    top: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20').default(8),
  })
  .and(zFilterParams)
  .and(zTimeRange)
  .superRefine((query, ctx) => {
    // Only a window that parsed can hold too many buckets (an invalid part is reported on its own).
    if (!(query.from instanceof Date) || !(query.to instanceof Date)) return;
    const size = query.interval === 'hour' ? 3_600_000 : 86_400_000;
    const buckets = Math.ceil(query.to.getTime() / size) - Math.floor(query.from.getTime() / size);
    if (buckets > MAX_SERIES_BUCKETS) {
      ctx.addIssue({
        code: 'custom',
        path: ['interval'],
        message: `the window holds ${buckets} ${query.interval}s; at most ${MAX_SERIES_BUCKETS} buckets (use interval=day, or a shorter window)`,
      });
    }
  });
export type FailuresSeriesQuery = z.input<typeof zFailuresSeriesQuery>;

const zSeriesCounts = z.object({ failures: zCount, cancellations: zCount });

export const zFailuresSeriesResponse = zWindowEcho.extend({
  interval: z.enum(FAILURE_SERIES_INTERVALS),
  groupBy: z.enum(FAILURE_SERIES_GROUPS),
  /** The `top` largest groups over the window (most failed + cancelled ceremonies first), then OTHER_GROUP if any was folded. '' = not sent. */
  groups: z.array(zSeriesCounts.extend({ value: z.string() })),
  /** How many group values were folded into OTHER_GROUP. */
  otherGroups: zCount,
  /** Every UTC hour or day bucket overlapping the window, empty ones included; `start`/`end` are clipped to the window. */
  buckets: z.array(
    zSeriesCounts.extend({
      start: z.iso.datetime(),
      end: z.iso.datetime(),
      /** Per group value of `groups` (absent = 0). */
      byGroup: z.record(z.string(), zSeriesCounts),
    }),
  ),
});
export type FailuresSeriesResponse = z.infer<typeof zFailuresSeriesResponse>;
