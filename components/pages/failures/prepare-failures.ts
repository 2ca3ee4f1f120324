/**
 * Pure shaping of the failures response: Pareto rows (bars + cumulative share as the API computed
 * them), group labels, and the drill-down selection for a group.
 */
import { FAILURE_DIMENSIONS, type FailureDimension, type FailureGroup } from '@/lib/contracts/failures';

export const DIMENSION_LABEL: Record<FailureDimension, string> = {
  reason: 'Reason',
  outcome: 'Outcome',
  type: 'Ceremony type',
  deviceClass: 'Device class',
  os: 'OS',
  browser: 'Browser',
  provider: 'Provider',
  credentialKind: 'Credential kind',
  surface: 'Surface',
  environment: 'Environment',
  service: 'Service',
  serviceVersion: 'Release',
};

/** Dimensions the drill-down passes as a selector (narrows only the ceremony list). */
const SELECTOR_DIMENSIONS = new Set<FailureDimension>(['reason', 'outcome', 'type', 'surface']);

/** Parses `groupBy` from the URL; unknown or repeated names are dropped, at most 3, default reason. */
export function parseGroupBy(value: string | null | undefined): FailureDimension[] {
  const known = new Set<string>(FAILURE_DIMENSIONS);
  const dims: FailureDimension[] = [];
  for (const part of (value ?? '').split(',').map((item) => item.trim())) {
    if (known.has(part) && !dims.includes(part as FailureDimension) && dims.length < 3) dims.push(part as FailureDimension);
  }
  return dims.length > 0 ? dims : ['reason'];
}

/** A stable key for a group, e.g. `reason=user_not_verified|deviceClass=mobile-ios`. */
export function groupKey(values: FailureGroup['values'], groupBy: FailureDimension[]): string {
  return groupBy.map((dim) => `${dim}=${values[dim] ?? ''}`).join('|');
}

/** What a group reads as: its values joined, an empty value shown as `(none)`. */
export function groupLabel(values: FailureGroup['values'], groupBy: FailureDimension[]): string {
  return groupBy.map((dim) => (values[dim] ? values[dim] : '(none)')).join(' · ');
}

export type ParetoRow = {
  key: string;
  label: string;
  ceremonies: number;
  failures: number;
  cancellations: number;
  share: number;
  cumulativeShare: number;
};

/** The first `limit` groups in the API's Pareto order, for the chart; the table shows them all. */
export function toParetoRows(groups: FailureGroup[], groupBy: FailureDimension[], limit = 15): ParetoRow[] {
  return groups.slice(0, limit).map((group) => ({
    key: groupKey(group.values, groupBy),
    label: groupLabel(group.values, groupBy),
    ceremonies: group.ceremonies,
    failures: group.failures,
    cancellations: group.cancellations,
    share: group.share,
    cumulativeShare: group.cumulativeShare,
  }));
}

export interface DrillDown {
  /** Selectors: narrow only the ceremony list. */
  selectors: Partial<Record<'reason' | 'outcome' | 'type' | 'surface', string>>;
  /** Filter dimensions (device class, OS, …): passed as the filter of the same name. */
  filters: Partial<Record<Exclude<FailureDimension, 'reason' | 'outcome' | 'type' | 'surface'>, string>>;
}

/**
 * The request parameters that select one group's ceremonies. An empty value cannot be selected
 * through a comma-list parameter, so it is left out (the list is then wider than the group).
 */
export function drillDownFor(values: FailureGroup['values'], groupBy: FailureDimension[]): DrillDown {
  const drill: DrillDown = { selectors: {}, filters: {} };
  for (const dim of groupBy) {
    const value = values[dim];
    if (!value) continue;
    if (SELECTOR_DIMENSIONS.has(dim)) drill.selectors[dim as keyof DrillDown['selectors']] = value;
    else drill.filters[dim as keyof DrillDown['filters']] = value;
  }
  return drill;
}

/** The global filters narrowed by the group's filter-dimension values (a group value replaces that filter's list). */
export function drillDownFilters<F extends Record<string, string[]>>(drill: DrillDown, globalFilters: F): F {
  const next = { ...globalFilters };
  for (const [dim, value] of Object.entries(drill.filters)) (next as Record<string, string[]>)[dim] = [value];
  return next;
}
