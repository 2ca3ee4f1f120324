/**
 * Drill-down links: for every gate metric, the dashboard page that shows its evidence, opened on
 * the criterion's window and filters (the pages keep `from`, `to` and the global filters in the
 * URL, with the read API's parameter names). Pure and client-safe.
 */
import type { GateMetricId } from './config';

interface DrillDownTarget {
  path: string;
  /** Extra query parameters the page understands (a group-by, a tab). */
  params?: Record<string, string>;
}

export const DRILL_DOWN_TARGETS: Readonly<Record<GateMetricId, DrillDownTarget>> = {
  registration_ceremony_success_rate: { path: '/registration', params: { groupBy: 'deviceClass' } },
  holders_passkey_signin_success_rate: { path: '/signin' },
  holders_recovery_rate_vs_non_holders: { path: '/recovery' },
  upsell_acceptance_rate: { path: '/registration' },
  holder_share_of_active_users: { path: '/registration', params: { groupBy: 'deviceClass' } },
  passkey_tickets_per_1000_active_users: { path: '/recovery' },
  passkey_share_of_holder_signins: { path: '/signin' },
  fallback_reliant_share_of_holders: { path: '/signin' },
  recovery_starts_per_1000_active_users_per_week: { path: '/recovery' },
  multi_device_coverage: { path: '/signin' },
  days_at_current_stage: { path: '/stages' },
  high_risk_attested_device_bound_share: { path: '/registration', params: { groupBy: 'credentialKind' } },
  high_risk_two_attested_device_bound_share: { path: '/registration', params: { groupBy: 'credentialKind' } },
  high_risk_phishable_recoveries: { path: '/recovery' },
};

/** Metrics about high-risk accounts whatever the criterion's filters say. */
export const HIGH_RISK_METRICS: ReadonlySet<GateMetricId> = new Set([
  'high_risk_attested_device_bound_share',
  'high_risk_two_attested_device_bound_share',
  'high_risk_phishable_recoveries',
]);

export interface DrillDownScope {
  window: { from: Date; to: Date };
  deviceClass: readonly string[];
  riskTier: string | null;
}

/** `/registration?groupBy=deviceClass&deviceClass=mobile-ios&from=…&to=…` */
export function drillDownLink(metric: GateMetricId, scope: DrillDownScope): string {
  const target = DRILL_DOWN_TARGETS[metric];
  if (metric === 'days_at_current_stage') return `${target.path}#decisions`;
  const query = new URLSearchParams(target.params);
  if (scope.deviceClass.length > 0) query.set('deviceClass', scope.deviceClass.join(','));
  const riskTier = HIGH_RISK_METRICS.has(metric) ? 'high' : scope.riskTier;
  if (riskTier) query.set('riskTier', riskTier);
  query.set('from', scope.window.from.toISOString());
  query.set('to', scope.window.to.toISOString());
  return `${target.path}?${query.toString()}`;
}
