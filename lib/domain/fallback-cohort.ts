/**
 * The fallback-reliant cohort's reasons (DESIGN.md section 4), in first-match order: a user active
 * in the window none of whose successful sign-ins used a passkey gets the first that applies.
 * Shared by the contract (lib/contracts/cohorts.ts), the query (sql/queries/fallback-cohort-users.ts)
 * and the service (lib/metrics/core-metrics.ts).
 */
export const FALLBACK_COHORT_REASONS = ['no_passkey', 'passkey_failing', 'cross_platform_gap', 'chooses_fallback'] as const;
export type FallbackCohortReason = (typeof FALLBACK_COHORT_REASONS)[number];
