/**
 * GET /api/v1/cohorts/fallback and /api/v1/cohorts/fallback/users — the fallback-reliant cohort
 * (DESIGN.md section 4): users active in the window none of whose successful sign-ins used a
 * passkey, each with the first matching reason. Shared by the routes and the dashboard.
 */
import { z } from 'zod';
import { zCsvRaw, zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCount, zMetricsQuery, zPreviousWindow, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';
import { FALLBACK_COHORT_REASONS } from '@/lib/domain/fallback-cohort';

/** The reasons in first-match order. */
export { FALLBACK_COHORT_REASONS, type FallbackCohortReason } from '@/lib/domain/fallback-cohort';
export const zFallbackCohortReason = z.enum(FALLBACK_COHORT_REASONS);

export const zFallbackCohortQuery = zMetricsQuery;
export type FallbackCohortQuery = z.input<typeof zFallbackCohortQuery>;

export const zFallbackCohortReasonRow = z.object({
  reason: zFallbackCohortReason,
  users: zCount,
  /** the same reason's size over the previous window of equal length */
  previousUsers: zCount,
  /** users / cohortSize */
  shareOfCohort: zRate,
});
export type FallbackCohortReasonRow = z.infer<typeof zFallbackCohortReasonRow>;

export const zFallbackCohortResponse = zWindowEcho.extend({
  previous: zPreviousWindow.extend({ activeUsers: zCount, cohortSize: zCount }),
  activeUsers: zCount,
  cohortSize: zCount,
  /** cohortSize / activeUsers */
  cohortShare: zRate,
  /** Always the four reasons, in first-match order. */
  reasons: z.array(zFallbackCohortReasonRow),
});
export type FallbackCohortResponse = z.infer<typeof zFallbackCohortResponse>;

export const MAX_COHORT_PAGE_SIZE = 1000;
/** A CSV export without `page` holds the whole cohort, up to this many users. */
export const MAX_COHORT_EXPORT_ROWS = 100_000;

export const zFallbackCohortUsersQuery = zFilterParams
  .extend({
    reason: z.enum([...FALLBACK_COHORT_REASONS, 'all']).default('all'),
    /** 1-based; JSON defaults to 1; a CSV without `page` exports every page. */
    page: z.coerce.number().int().min(1).max(1_000_000).optional(),
    pageSize: z.coerce.number().int().min(1).max(MAX_COHORT_PAGE_SIZE).default(100),
    format: z.enum(['json', 'csv']).default('json'),
    /** CSV only: `1` exports ids exactly as sent, without the `'` before formula-like cells. */
    raw: zCsvRaw,
  })
  .and(zTimeRange);
export type FallbackCohortUsersQuery = z.input<typeof zFallbackCohortUsersQuery>;

export const zFallbackCohortUser = z.object({
  userId: z.string(),
  reason: zFallbackCohortReason,
  /** successful sign-ins in the window (none with a passkey, by definition) */
  signIns: zCount,
  lastSignInAt: z.iso.datetime(),
  /** the methods of those sign-ins, sorted */
  methods: z.array(z.string()),
});
export type FallbackCohortUser = z.infer<typeof zFallbackCohortUser>;

export const zFallbackCohortUsersResponse = zWindowEcho.extend({
  reason: z.enum([...FALLBACK_COHORT_REASONS, 'all']),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1).max(MAX_COHORT_PAGE_SIZE),
  /** users matching `reason` in the whole cohort (all pages) */
  total: zCount,
  users: z.array(zFallbackCohortUser),
});
export type FallbackCohortUsersResponse = z.infer<typeof zFallbackCohortUsersResponse>;

/** CSV columns of the export, in order (the header line). */
export const FALLBACK_COHORT_CSV_COLUMNS = ['user_id', 'reason', 'sign_ins', 'last_sign_in_at', 'methods'] as const;

/** GET /api/v1/cohorts/fallback/methods — who still depends on each fallback method (docs/metrics.md, "Dependence on fallback methods"). */
export const zFallbackMethodsQuery = zFilterParams.and(zTimeRange);
export type FallbackMethodsQuery = z.input<typeof zFallbackMethodsQuery>;

export const zFallbackMethodRow = z.object({
  method: z.string(),
  /** Active users who signed in with this method in the window. */
  users: zCount,
  /** …and with nothing else. */
  onlyMethod: zCount,
  /** …with no live passkey registered on a device class they signed in from: retiring the method strands them. */
  withoutPasskeyOnTheirDevices: zCount,
  /** …holding no live passkey at all. */
  withoutAnyPasskey: zCount,
  /** users ÷ active users. */
  shareOfActiveUsers: zRate,
  /** withoutPasskeyOnTheirDevices ÷ users. */
  strandedShare: zRate,
});
export type FallbackMethodRow = z.infer<typeof zFallbackMethodRow>;

export const zFallbackMethodsResponse = zWindowEcho.extend({
  activeUsers: zCount,
  methods: z.array(zFallbackMethodRow),
});
export type FallbackMethodsResponse = z.infer<typeof zFallbackMethodsResponse>;

/**
 * GET /api/v1/cohorts/fallback/weekly — the fallback-reliant cohort week by week: for each UTC week
 * (from Monday) of the window, cut at `from` and `to`, the cohort computed with that week as W.
 */
export const zFallbackWeeklyQuery = zFilterParams.and(zTimeRange);
export type FallbackWeeklyQuery = z.input<typeof zFallbackWeeklyQuery>;

export const zFallbackWeek = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** The week is cut by the window (shorter than 7 days). */
  partial: z.boolean(),
  activeUsers: zCount,
  cohortSize: zCount,
  cohortShare: zRate,
  reasons: z.record(z.enum(FALLBACK_COHORT_REASONS), zCount),
});
export type FallbackWeek = z.infer<typeof zFallbackWeek>;

export const zFallbackWeeklyResponse = zWindowEcho.extend({ weeks: z.array(zFallbackWeek) });
export type FallbackWeeklyResponse = z.infer<typeof zFallbackWeeklyResponse>;
