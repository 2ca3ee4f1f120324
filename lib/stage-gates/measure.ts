/**
 * The metric layer of the stage gates: each gate metric (lib/stage-gates/config.ts GATE_METRICS)
 * measured over a window with a criterion's filters, as the GateMeasurement the verdict layer
 * judges (docs/stage-gates.md, "Metrics a criterion can name"). Server only.
 *
 * Where a dashboard query already computes exactly what a metric needs it is reused (so a gate and
 * its drill-down page can never disagree); the rest are the sql/queries/gate-*.ts queries.
 *
 * Queries are shared by (query, parameters) through query-cache.ts: the criteria of one evaluation
 * share windows and filters, so e.g. active users or multi-device coverage are read once for all
 * the criteria that need them. Per-device-class criteria use a per-class query where one exists, else measure the
 * metric once per device class seen in the window, with that class as a filter.
 */
import 'server-only';
import type { Filters } from '@/lib/domain/filters';
import { authenticationCeremoniesByDeviceClass } from '@/sql/queries/authentication-ceremonies-by-device-class';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { gateDeviceClasses } from '@/sql/queries/gate-device-classes';
import { gateHighRiskCredentials } from '@/sql/queries/gate-high-risk-credentials';
import { gateSignInFacts } from '@/sql/queries/gate-sign-in-facts';
import { holdersPasskeySignInSuccess } from '@/sql/queries/holders-passkey-sign-in-success';
import { phishableRecoveryShare } from '@/sql/queries/phishable-recovery-share';
import { recoveryLoadTotals, recoveryTotals } from '@/sql/queries/recovery-load';
import { registrationCeremoniesByDimension } from '@/sql/queries/registration-ceremonies-by-dimension';
import { windowFilterParams } from '@/sql/queries/shared';
import { supportTicketDrivers } from '@/sql/queries/support-ticket-drivers';
import { upsellFriction } from '@/sql/queries/upsell-friction';
import { gateMetric, type GateMetricId } from './config';
import { HIGH_RISK_METRICS } from './drill-down';
import { cachedQuery } from './query-cache';
import { DAY_MS } from './stage-state';
import type { DeviceClassMeasurement, GateMeasurement } from './verdict';

export interface MeasureWindow {
  from: Date;
  to: Date;
}

/** The filters a criterion may carry (config `filters`), normalized. */
export interface CriterionFilters {
  deviceClass: readonly string[];
  riskTier: 'standard' | 'high' | null;
  /** A segment's OS or rollout variant (GET /api/v1/stages?segment=…; segments.ts); the config has none. */
  os?: readonly string[];
  variant?: readonly string[];
}

/** The metrics a measurer answers: every gate metric except the duration (which is stage state, not data). */
export type MeasuredMetricId = Exclude<GateMetricId, 'days_at_current_stage'>;

export interface Measurer {
  measure(metric: MeasuredMetricId, window: MeasureWindow, filters: CriterionFilters): Promise<GateMeasurement>;
  /** One measurement per device class seen in the window (classes with nothing to measure may be left out). */
  measureByDeviceClass(metric: MeasuredMetricId, window: MeasureWindow, filters: CriterionFilters): Promise<DeviceClassMeasurement[]>;
}

/** A ticket is passkey-related when attribution ties it to a failed or cancelled passkey ceremony. */
export const PASSKEY_TICKET_DRIVER_KINDS: ReadonlySet<string> = new Set(['registration', 'authentication']);
/** Ticket attribution looks back this far before a ticket (DESIGN.md section 4). */
const ATTRIBUTION_LOOKBACK_MS = 72 * 3_600_000;

/**
 * A criterion's filters as the metric queries take them. No `environment`: the server's
 * DEFAULT_ENVIRONMENT applies when configured (windowFilterParams), so staging never moves a gate.
 */
function toFilters(metric: MeasuredMetricId, filters: CriterionFilters): Filters {
  const riskTier = HIGH_RISK_METRICS.has(metric) ? 'high' : filters.riskTier;
  return {
    deviceClass: [...filters.deviceClass] as Filters['deviceClass'],
    os: [...(filters.os ?? [])],
    browser: [],
    provider: [],
    credentialKind: [],
    riskTier: riskTier ? [riskTier] : [],
    variant: [...(filters.variant ?? [])],
  };
}

function sum<T>(rows: readonly T[], pick: (row: T) => number): number {
  return rows.reduce((total, row) => total + pick(row), 0);
}

/**
 * A measurer over the app's storage. Queries go through the stage-gate query cache
 * (query-cache.ts), which also shares them between the criteria of one evaluation.
 */
export function createStorageMeasurer(run: typeof cachedQuery = cachedQuery): Measurer {
  async function measure(metric: MeasuredMetricId, window: MeasureWindow, criterionFilters: CriterionFilters): Promise<GateMeasurement> {
    const filters = toFilters(metric, criterionFilters);
    const core = coreParams(window, filters);
    const plain = windowFilterParams(window, filters);

    switch (metric) {
      case 'registration_ceremony_success_rate': {
        const rows = await run(registrationCeremoniesByDimension.deviceClass, core);
        const successes = sum(rows, (row) => row.successes);
        return { kind: 'proportion', successes, n: successes + sum(rows, (row) => row.failures) };
      }
      case 'holders_passkey_signin_success_rate': {
        const [row] = await run(holdersPasskeySignInSuccess, core);
        const successes = row?.successes ?? 0;
        return { kind: 'proportion', successes, n: successes + (row?.failures ?? 0) };
      }
      case 'holders_recovery_rate_vs_non_holders': {
        const [recoveries, [facts]] = await Promise.all([run(phishableRecoveryShare, plain), run(gateSignInFacts, core)]);
        const activeHolders = facts?.activeHolders ?? 0;
        const activeNonHolders = Math.max(0, (facts?.activeUsers ?? 0) - activeHolders);
        return {
          kind: 'rate_comparison',
          subject: { events: sum(recoveries, (row) => row.holderRecoveries), exposure: activeHolders },
          reference: { events: sum(recoveries, (row) => row.nonHolderRecoveries), exposure: activeNonHolders },
        };
      }
      case 'upsell_acceptance_rate': {
        const [row] = await run(upsellFriction, core);
        const shown = row?.shown ?? 0;
        // An "accepted" without its "shown" (a lost event) must not push the share over 100 %.
        return { kind: 'proportion', successes: Math.min(row?.accepted ?? 0, shown), n: shown };
      }
      case 'holder_share_of_active_users': {
        const [facts] = await run(gateSignInFacts, core);
        return { kind: 'proportion', successes: facts?.activeHolders ?? 0, n: facts?.activeUsers ?? 0 };
      }
      case 'passkey_tickets_per_1000_active_users': {
        const ticketParams = {
          ...plain,
          from: new Date(window.from.getTime() - ATTRIBUTION_LOOKBACK_MS),
          windowFrom: window.from,
          previousFrom: window.from,
        };
        const [drivers, [facts]] = await Promise.all([run(supportTicketDrivers, ticketParams), run(gateSignInFacts, core)]);
        const tickets = sum(
          drivers.filter((row) => row.part === 'driver' && row.period === 'current' && PASSKEY_TICKET_DRIVER_KINDS.has(row.kind)),
          (row) => row.tickets,
        );
        const exposure = facts?.activeUsers ?? 0;
        return { kind: 'rate', events: tickets, exposure, perUnit: gateMetric(metric).perUnit ?? 1000, sampleSize: exposure };
      }
      case 'passkey_share_of_holder_signins': {
        const [facts] = await run(gateSignInFacts, core);
        return { kind: 'proportion', successes: facts?.holderPasskeySignIns ?? 0, n: facts?.holderSignIns ?? 0 };
      }
      case 'fallback_reliant_share_of_holders': {
        // The cohort's holders (every reason but no_passkey) are H(to), as activeHolders' are.
        const [facts] = await run(gateSignInFacts, core);
        const activeHolders = facts?.activeHolders ?? 0;
        return { kind: 'proportion', successes: Math.min(facts?.reliantHolders ?? 0, activeHolders), n: activeHolders };
      }
      case 'recovery_starts_per_1000_active_users_per_week': {
        const { activeUsers: activeUsersInWindow, methods } = recoveryTotals(await run(recoveryLoadTotals, plain));
        const started = sum(methods, (row) => row.started);
        const weeks = (window.to.getTime() - window.from.getTime()) / (7 * DAY_MS);
        return {
          kind: 'rate',
          events: started,
          exposure: activeUsersInWindow * weeks,
          perUnit: gateMetric(metric).perUnit ?? 1000,
          sampleSize: activeUsersInWindow,
        };
      }
      case 'multi_device_coverage': {
        const [facts] = await run(gateSignInFacts, core);
        return { kind: 'proportion', successes: facts?.multiDeviceHolders ?? 0, n: facts?.activeHolders ?? 0 };
      }
      case 'high_risk_attested_device_bound_share': {
        const [row] = await run(gateHighRiskCredentials, core);
        return { kind: 'proportion', successes: row?.withAttested ?? 0, n: row?.activeUsers ?? 0 };
      }
      case 'high_risk_two_attested_device_bound_share': {
        const [row] = await run(gateHighRiskCredentials, core);
        return { kind: 'proportion', successes: row?.withTwoAttested ?? 0, n: row?.activeUsers ?? 0 };
      }
      case 'high_risk_phishable_recoveries': {
        const [recoveries, [coverage]] = await Promise.all([run(phishableRecoveryShare, plain), run(gateHighRiskCredentials, core)]);
        // `phishable` is decided in the query, from PHISHABLE_RECOVERY_METHODS bound as a parameter.
        const phishable = sum(
          recoveries.filter((row) => row.phishable),
          (row) => row.holderRecoveries + row.nonHolderRecoveries,
        );
        return { kind: 'count', count: phishable, sampleSize: coverage?.activeUsers ?? 0 };
      }
    }
  }

  async function measureByDeviceClass(
    metric: MeasuredMetricId,
    window: MeasureWindow,
    criterionFilters: CriterionFilters,
  ): Promise<DeviceClassMeasurement[]> {
    const filters = toFilters(metric, criterionFilters);
    const core = coreParams(window, filters);

    if (metric === 'registration_ceremony_success_rate') {
      const rows = await run(registrationCeremoniesByDimension.deviceClass, core);
      return rows.map((row) => ({
        deviceClass: row.key,
        measurement: { kind: 'proportion', successes: row.successes, n: row.successes + row.failures },
      }));
    }
    if (metric === 'holders_passkey_signin_success_rate') {
      const rows = await run(authenticationCeremoniesByDeviceClass, core);
      return rows.map((row) => ({
        deviceClass: row.deviceClass,
        measurement: { kind: 'proportion', successes: row.holderSuccesses, n: row.holderSuccesses + row.holderFailures },
      }));
    }

    const classes = await run(gateDeviceClasses, windowFilterParams(window, filters));
    const measured: DeviceClassMeasurement[] = [];
    for (const { deviceClass } of classes) {
      const measurement = await measure(metric, window, { ...criterionFilters, deviceClass: [deviceClass] });
      measured.push({ deviceClass, measurement });
    }
    return measured;
  }

  return { measure, measureByDeviceClass };
}
