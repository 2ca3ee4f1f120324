/**
 * The core metrics of DESIGN.md section 4 (overview, registration, sign-in, fallback cohort)
 * assembled from the sql/queries of each question. Routes stay thin; rates are computed here once
 * (lib/metrics/rates.ts: null on a zero denominator).
 */
import 'server-only';
import type { Filters } from '@/lib/domain/filters';
import type {
  CredentialKindSplit,
  RegistrationDay,
  RegistrationDeviceClassRow,
  RegistrationGroupBy,
  RegistrationGroupRow,
} from '@/lib/contracts/registration';
import type { DeviceClassRegistration, OverviewHeadlines, SignInShareDay, UpsellFriction } from '@/lib/contracts/overview';
import type { CrossPlatformGap, MultiDeviceCoverage, PromptLatency } from '@/lib/contracts/signin';
import { FALLBACK_COHORT_REASONS, type FallbackCohortReason } from '@/lib/contracts/cohorts';
import type { z } from 'zod';
import { runQuery, type QueryDefinition } from '@/lib/query';
import { coreParams, coreWindowsParams, type zCoreWindowsParams } from '@/sql/queries/core-metric-fragments';
import { holderCoverage as holderCoverageQuery } from '@/sql/queries/holder-coverage';
import { fallbackCohortSizes } from '@/sql/queries/fallback-cohort-sizes';
import { fallbackCohortWindows } from '@/sql/queries/fallback-cohort-windows';
import { liveCredentialsByKind } from '@/sql/queries/live-credentials-by-kind';
import { overviewHeadlineCounts } from '@/sql/queries/overview-headlines';
import { passkeySignInShareByDay } from '@/sql/queries/passkey-sign-in-share-by-day';
import { promptLatency } from '@/sql/queries/prompt-latency';
import { registrationCeremonyBreakdown } from '@/sql/queries/registration-ceremonies-by-dimension';
import { registrationRateByDeviceClass } from '@/sql/queries/registration-rate-by-device-class';
import { upsellFriction } from '@/sql/queries/upsell-friction';
import { NO_OUTCOMES, rate, tallies, type OutcomeCounts } from './rates';
import { fillDays, type TimeWindow } from './windows';
import { byCountThenName } from './ranking';

const first = <T>(rows: T[]): T | undefined => rows[0];

/**
 * The rows of a windows query (zCoreWindowsParams) for each of consecutive windows (each starting
 * where the one before ends): one query over their span, or one per window with a rollout-variant
 * filter, whose meaning follows each window's end.
 */
async function rowsPerWindow<R extends z.ZodType<{ w: number }>>(
  query: QueryDefinition<typeof zCoreWindowsParams, R>,
  windows: readonly TimeWindow[],
  filters: Filters,
): Promise<Array<z.output<R>[]>> {
  const passes = filters.variant.length > 0 ? windows.map((window) => [window]) : windows.length > 0 ? [windows] : [];
  const answers = await Promise.all(passes.map((pass) => runQuery(query, coreWindowsParams(pass, filters))));
  return passes.flatMap((pass, i) => pass.map((_, j) => answers[i]!.filter((row) => row.w === j + 1)));
}

/**
 * The Overview's headlines for each of consecutive windows (the previous window and the window),
 * and the registration rate per device class of the last one (from the same query).
 */
export async function overviewHeadlines(
  windows: readonly TimeWindow[],
  filters: Filters,
): Promise<{ headlines: OverviewHeadlines[]; registrationByDeviceClass: DeviceClassRegistration[] }> {
  const [counts, upsells] = await Promise.all([rowsPerWindow(overviewHeadlineCounts, windows, filters), upsellFunnels(windows, filters)]);
  const headlines = windows.map((_, i) => {
    const row = counts[i]!.find((r) => r.part === 'window');
    return {
      activeUsers: row?.activeUsers ?? 0,
      holders: row?.holders ?? 0,
      passkeySignInShare: rate(row?.passkeySignIns ?? 0, row?.successfulSignIns ?? 0),
      multiDeviceCoverage: rate(row?.multiDeviceHolders ?? 0, row?.activeHolders ?? 0),
      upsell: upsells[i]!,
    };
  });
  const registrationByDeviceClass = (counts.at(-1) ?? [])
    .filter((row) => row.part === 'deviceClass')
    .map(({ deviceClass, activeUsers, holders }) => ({ deviceClass, activeUsers, holders, registrationRate: rate(holders, activeUsers) }))
    .sort(byActiveUsersThenClass);
  return { headlines, registrationByDeviceClass };
}

/** Device classes ranked as registration-rate-by-device-class.ts orders them. */
const byActiveUsersThenClass = byCountThenName(
  (row: { activeUsers: number; deviceClass: string }) => row.activeUsers,
  (row) => row.deviceClass,
);

/** Prompt friction of the post-sign-in upsell (overview.upsell and registration.upsell) for each of consecutive windows. */
export async function upsellFunnels(windows: readonly TimeWindow[], filters: Filters): Promise<UpsellFriction[]> {
  return (await rowsPerWindow(upsellFriction, windows, filters)).map((rows) => {
    const upsell = first(rows);
    const shown = upsell?.shown ?? 0;
    const accepted = upsell?.accepted ?? 0;
    const dismissed = upsell?.dismissed ?? 0;
    const upsellTallies = tallies(upsell ?? NO_OUTCOMES);
    return {
      shown,
      accepted,
      dismissed,
      acceptanceRate: rate(accepted, shown),
      dismissalRate: rate(dismissed, shown),
      registrationCeremonies: upsellTallies.ceremonies,
      registrationSuccesses: upsellTallies.successes,
      registrationSuccessRate: upsellTallies.successRate,
    };
  });
}

export async function registrationRates(window: TimeWindow, filters: Filters): Promise<DeviceClassRegistration[]> {
  const rows = await runQuery(registrationRateByDeviceClass, coreParams(window, filters));
  return rows.map((row) => ({ ...row, registrationRate: rate(row.holders, row.activeUsers) }));
}

/** The passkey sign-in share of each day of the window (`series`, every day) and of the whole window (`total`, the days' counts summed). */
export async function signInShares(window: TimeWindow, filters: Filters) {
  const rows = await runQuery(passkeySignInShareByDay, coreParams(window, filters));
  const successfulSignIns = rows.reduce((sum, row) => sum + row.successfulSignIns, 0);
  const passkeySignIns = rows.reduce((sum, row) => sum + row.passkeySignIns, 0);
  const series: SignInShareDay[] = fillDays(
    window,
    rows.map((row) => ({ ...row, share: rate(row.passkeySignIns, row.successfulSignIns) })),
    (day) => ({ day, successfulSignIns: 0, passkeySignIns: 0, share: null }),
  );
  return { series, total: { successfulSignIns, passkeySignIns, passkeySignInShare: rate(passkeySignIns, successfulSignIns) } };
}

const byCeremoniesThenKey = byCountThenName(
  (row: { ceremonies: number; key: string }) => row.ceremonies,
  (row) => row.key,
);

/**
 * The window's registration ceremonies grouped three ways in one query: by `groupBy` (`rows`), by
 * credential kind (`byKind`, for credentialKindSplit) and by day (`series`, every day of the window).
 */
export async function registrationBreakdown(
  window: TimeWindow,
  filters: Filters,
  groupBy: RegistrationGroupBy,
): Promise<{ rows: RegistrationGroupRow[]; byKind: RegistrationGroupRow[]; series: RegistrationDay[] }> {
  const found = await runQuery(registrationCeremonyBreakdown[groupBy], coreParams(window, filters));
  const groups = (part: 'group' | 'kind', dimension: RegistrationGroupBy) =>
    found
      .filter((row) => row.part === part)
      .map(({ key, successes, failures, cancellations }) => ({
        dimension,
        key,
        ...tallies({ successes, failures, cancellations }),
      }));
  const days = found.filter((row) => row.part === 'day');
  return {
    rows: groups('group', groupBy),
    byKind: groups('kind', 'credentialKind'),
    series: fillDays(
      window,
      days.map(({ key, successes, failures, cancellations }) => ({ day: key, ...tallies({ successes, failures, cancellations }) })),
      (day) => ({ day, ...tallies(NO_OUTCOMES) }),
    ),
  };
}

/** Device-class rows: the ceremony tallies joined to the registration rate, for every class either side knows. */
export function deviceClassRows(groups: RegistrationGroupRow[], rates: DeviceClassRegistration[]): RegistrationDeviceClassRow[] {
  const keys = new Set([...groups.map((g) => g.key), ...rates.map((r) => r.deviceClass)]);
  return [...keys]
    .map((key) => {
      const group = groups.find((g) => g.key === key) ?? { dimension: 'deviceClass' as const, key, ...tallies(NO_OUTCOMES) };
      const registration = rates.find((r) => r.deviceClass === key) ?? {
        deviceClass: key,
        activeUsers: 0,
        holders: 0,
        registrationRate: null,
      };
      return { ...group, ...registration };
    })
    .sort(byCeremoniesThenKey);
}

export function sumTallies(rows: ReadonlyArray<OutcomeCounts>) {
  return tallies(
    rows.reduce<OutcomeCounts>(
      (sum, row) => ({
        successes: sum.successes + row.successes,
        failures: sum.failures + row.failures,
        cancellations: sum.cancellations + row.cancellations,
      }),
      NO_OUTCOMES,
    ),
  );
}

const CREDENTIAL_KINDS = ['synced', 'device_bound', 'unknown'] as const;

/** The live credentials of each kind (liveCredentialsByKind), for credentialKindSplit. */
export function liveCredentials(window: TimeWindow, filters: Filters) {
  return runQuery(liveCredentialsByKind, coreParams(window, filters));
}

/** Pure: registration ceremonies by credential kind (the credentialKind groups) beside the live credentials of each kind. */
export function credentialKindSplit(
  groups: readonly RegistrationGroupRow[],
  live: ReadonlyArray<{ credentialKind: string; liveCredentials: number }>,
): CredentialKindSplit[] {
  return CREDENTIAL_KINDS.map((credentialKind) => {
    const group = groups.find((g) => g.key === credentialKind);
    const { ceremonies, successes, failures, cancellations, successRate, cancelRate } = group ?? tallies(NO_OUTCOMES);
    return {
      credentialKind,
      ceremonies,
      successes,
      failures,
      cancellations,
      successRate,
      cancelRate,
      liveCredentials: live.find((l) => l.credentialKind === credentialKind)?.liveCredentials ?? 0,
    };
  });
}

/**
 * The Sign-in page's holder questions from one query (holder-coverage.ts): multi-device coverage and
 * the cross-platform gap with its (credential OS, sign-in OS) pairs.
 */
export async function holderCoverage(
  window: TimeWindow,
  filters: Filters,
): Promise<{ multiDevice: MultiDeviceCoverage; crossPlatform: CrossPlatformGap }> {
  const rows = await runQuery(holderCoverageQuery, coreParams(window, filters));
  const total = rows.find((row) => row.part === 'total');
  const activeHolders = total?.activeHolders ?? 0;
  const multiDeviceHolders = total?.multiDeviceHolders ?? 0;
  const users = total?.gapUsers ?? 0;
  return {
    multiDevice: { activeHolders, multiDeviceHolders, coverage: rate(multiDeviceHolders, activeHolders) },
    crossPlatform: {
      activeHolders,
      users,
      share: rate(users, activeHolders),
      pairs: rows
        .filter((row) => row.part === 'pair')
        .map(({ credentialOs, signInOs, gapUsers }) => ({ credentialOs, signInOs, users: gapUsers })),
    },
  };
}

export type CohortSizes = Record<FallbackCohortReason, number>;

/** The cohort's size per reason (all four, zero when absent), and |A(W)| from the same query. */
export async function cohortSizes(window: TimeWindow, filters: Filters): Promise<{ sizes: CohortSizes; activeUsers: number }> {
  return cohortSizesOf(await runQuery(fallbackCohortSizes, coreParams(window, filters)));
}

type CohortSizeRow = { part: 'reason' | 'active'; reason: string; users: number };

function cohortSizesOf(rows: readonly CohortSizeRow[]): { sizes: CohortSizes; activeUsers: number } {
  const sizes = Object.fromEntries(FALLBACK_COHORT_REASONS.map((reason) => [reason, 0])) as CohortSizes;
  for (const row of rows) {
    if (row.part === 'reason' && (FALLBACK_COHORT_REASONS as readonly string[]).includes(row.reason)) {
      sizes[row.reason as FallbackCohortReason] = row.users;
    }
  }
  return { sizes, activeUsers: rows.find((row) => row.part === 'active')?.users ?? 0 };
}

/**
 * cohortSizes for each of consecutive windows (the weeks of a window, or the previous window and
 * the window), from one query (fallback-cohort-windows.ts) — or one per window with a variant filter.
 */
export async function consecutiveCohortSizes(
  windows: readonly TimeWindow[],
  filters: Filters,
): Promise<Array<{ sizes: CohortSizes; activeUsers: number }>> {
  return (await rowsPerWindow(fallbackCohortWindows, windows, filters)).map(cohortSizesOf);
}

export function cohortTotal(sizes: CohortSizes): number {
  return FALLBACK_COHORT_REASONS.reduce((sum, reason) => sum + sizes[reason], 0);
}

/** Prompt latency: the overall row and the groups, most prompts first (ties by device class, mediation, outcome). */
export async function promptLatencies(window: TimeWindow, filters: Filters): Promise<PromptLatency> {
  const rows = await runQuery(promptLatency, coreParams(window, filters));
  const overall = rows.find((row) => row.overall === 1);
  return {
    overall: { prompts: overall?.prompts ?? 0, p50Ms: overall?.p50Ms ?? null, p95Ms: overall?.p95Ms ?? null },
    rows: rows
      .filter((row) => row.overall === 0)
      .sort(
        byCountThenName(
          (row) => row.prompts,
          (row) => `${row.deviceClass}\u0000${row.mediation}\u0000${row.outcome}`,
        ),
      )
      .map(({ deviceClass, mediation, outcome, prompts, p50Ms, p95Ms }) => ({ deviceClass, mediation, outcome, prompts, p50Ms, p95Ms })),
  };
}
