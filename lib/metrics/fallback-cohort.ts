/**
 * The fallback-reliant cohort: its size by first-match reason against the previous window
 * (GET /api/v1/cohorts/fallback), its users (GET /api/v1/cohorts/fallback/users), and who still
 * depends on each fallback method (GET /api/v1/cohorts/fallback/methods); the cohort week by week
 * (GET /api/v1/cohorts/fallback/weekly).
 */
import 'server-only';
import type { z } from 'zod';
import {
  FALLBACK_COHORT_CSV_COLUMNS,
  FALLBACK_COHORT_REASONS,
  MAX_COHORT_EXPORT_ROWS,
  type FallbackCohortResponse,
  type FallbackCohortUsersResponse,
  type FallbackMethodsResponse,
  type FallbackWeeklyResponse,
  type zFallbackCohortQuery,
  type zFallbackCohortUsersQuery,
  type zFallbackMethodsQuery,
  type zFallbackWeeklyQuery,
} from '@/lib/contracts/cohorts';
import { runQuery } from '@/lib/query';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { fallbackCohortUsers } from '@/sql/queries/fallback-cohort-users';
import { fallbackMethodDependence } from '@/sql/queries/fallback-method-dependence';
import { cohortSizes, cohortTotal, consecutiveCohortSizes } from './core-metrics';
import { csvDocument } from './csv';
import { zoneWeekWindows } from '@/lib/domain/time-zone';
import { rate } from './rates';
import { previousWindow, windowEcho } from './windows';

export async function fallbackCohortResponse(query: z.output<typeof zFallbackCohortQuery>): Promise<FallbackCohortResponse> {
  const window = { from: query.from, to: query.to };
  const previous = previousWindow(window);
  // One query for both windows (the previous one ends where the window starts).
  const [before, current] = await consecutiveCohortSizes([previous, window], query);
  const { sizes: previousSizes, activeUsers: previousActiveUsers } = before!;
  const { sizes, activeUsers } = current!;
  const cohortSize = cohortTotal(sizes);
  return {
    ...windowEcho(window, query),
    previous: {
      from: previous.from.toISOString(),
      to: previous.to.toISOString(),
      activeUsers: previousActiveUsers,
      cohortSize: cohortTotal(previousSizes),
    },
    activeUsers,
    cohortSize,
    cohortShare: rate(cohortSize, activeUsers),
    reasons: FALLBACK_COHORT_REASONS.map((reason) => ({
      reason,
      users: sizes[reason],
      previousUsers: previousSizes[reason],
      shareOfCohort: rate(sizes[reason], cohortSize),
    })),
  };
}

/**
 * One page of the cohort's users (`format=json`, or CSV with `page`), or the whole cohort up to
 * MAX_COHORT_EXPORT_ROWS (CSV without `page`), with the cohort's size for the reason asked — read
 * from the page's own rows, or for a page past the end, from the cohort's sizes.
 */
export async function fallbackCohortUsersPage(query: z.output<typeof zFallbackCohortUsersQuery>) {
  const window = { from: query.from, to: query.to };
  const exportAll = query.format === 'csv' && query.page === undefined;
  const page = query.page ?? 1;
  const rows = await runQuery(fallbackCohortUsers, {
    ...coreParams(window, query),
    reason: query.reason,
    limit: exportAll ? MAX_COHORT_EXPORT_ROWS : query.pageSize,
    offset: exportAll ? 0 : (page - 1) * query.pageSize,
  });
  const total = rows[0]?.total ?? (page > 1 ? await cohortSize(window, query) : 0);
  const users = rows.map(({ total: _total, ...user }) => user);
  return { ...windowEcho(window, query), reason: query.reason, page, pageSize: query.pageSize, total, users };
}

async function cohortSize(window: { from: Date; to: Date }, query: z.output<typeof zFallbackCohortUsersQuery>): Promise<number> {
  const { sizes } = await cohortSizes(window, query);
  return query.reason === 'all' ? cohortTotal(sizes) : sizes[query.reason];
}

/** The users as the CSV export (lib/metrics/csv.ts: formula-like ids neutralised unless `raw`). */
export function fallbackCohortUsersCsv(users: FallbackCohortUsersResponse['users'], raw: boolean): string {
  return csvDocument(
    FALLBACK_COHORT_CSV_COLUMNS,
    users.map((user) => [user.userId, user.reason, user.signIns, user.lastSignInAt, user.methods.join(';')]),
    { raw },
  );
}

/** Who still depends on each fallback method (GET /api/v1/cohorts/fallback/methods). */
export async function fallbackMethodsResponse(query: z.output<typeof zFallbackMethodsQuery>): Promise<FallbackMethodsResponse> {
  const window = { from: query.from, to: query.to };
  const rows = await runQuery(fallbackMethodDependence, coreParams(window, query));
  const activeUsers = rows.find((row) => row.part === 'active')?.users ?? 0;
  return {
    ...windowEcho(window, query),
    activeUsers,
    methods: rows
      .filter((row) => row.part === 'method')
      .map(({ part: _part, ...row }) => ({
        ...row,
        shareOfActiveUsers: rate(row.users, activeUsers),
        strandedShare: rate(row.withoutPasskeyOnTheirDevices, row.users),
      })),
  };
}

/** The cohort week by week (GET /api/v1/cohorts/fallback/weekly): each week (Monday to Monday in `tz`) of the window as its own W. */
export async function fallbackWeeklyResponse(query: z.output<typeof zFallbackWeeklyQuery>): Promise<FallbackWeeklyResponse> {
  const weeks = zoneWeekWindows(query.from, query.to, query.tz);
  const sizesByWeek = await consecutiveCohortSizes(weeks, query);
  return {
    ...windowEcho(query, query),
    weeks: weeks.map((week, i) => {
      const { sizes, activeUsers } = sizesByWeek[i]!;
      const cohortSize = cohortTotal(sizes);
      return {
        start: week.from.toISOString(),
        end: week.to.toISOString(),
        partial: week.partial,
        activeUsers,
        cohortSize,
        cohortShare: rate(cohortSize, activeUsers),
        reasons: sizes,
      };
    }),
  };
}
