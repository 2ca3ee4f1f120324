/** Windows: the previous period of equal length, UTC day buckets, and the echo of a request. */
import type { Filters } from '@/lib/domain/filters';
import type { AppliedFilters, WindowEcho } from './contract-parts';
import { appliedEnvironments } from './environment';
import { DEFAULT_TIME_ZONE, zoneDays } from '@/lib/domain/time-zone';

export interface TimeWindow {
  from: Date;
  to: Date;
  /** The zone of the window's day buckets (`tz`); UTC when absent. */
  tz?: string;
}

/** [from − (to − from), from): the period a headline's change is measured against. */
export function previousWindow({ from, to, tz }: TimeWindow): TimeWindow {
  const length = to.getTime() - from.getTime();
  return { from: new Date(from.getTime() - length), to: new Date(from.getTime()), tz };
}

/** Every day (`YYYY-MM-DD`) of the window's zone that [from, to) touches, in order. */
export function windowDays({ from, to, tz }: TimeWindow): string[] {
  return zoneDays(from.getTime(), to.getTime(), tz ?? DEFAULT_TIME_ZONE);
}

/**
 * One entry per day of the window, in order: the row of that day, or `empty(day)` when it has
 * none (counts zero, rates null — the chart shows a gap, not a fake 0 %).
 */
export function fillDays<T extends { day: string }>(window: TimeWindow, rows: readonly T[], empty: (day: string) => T): T[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return windowDays(window).map((day) => byDay.get(day) ?? empty(day));
}

/**
 * The filters as applied, for the echo: `environment` is the one the server read (the request's,
 * else DEFAULT_ENVIRONMENT when configured; `[]` = every environment).
 */
export function appliedFilters(filters: Filters): AppliedFilters {
  return {
    deviceClass: [...filters.deviceClass],
    os: [...filters.os],
    browser: [...filters.browser],
    provider: [...filters.provider],
    credentialKind: [...filters.credentialKind],
    riskTier: [...filters.riskTier],
    variant: [...filters.variant],
    environment: appliedEnvironments(filters),
    service: [...(filters.service ?? [])],
    serviceVersion: [...(filters.serviceVersion ?? [])],
    osVersion: [...(filters.osVersion ?? [])],
    browserVersion: [...(filters.browserVersion ?? [])],
  };
}

export function windowEcho(window: TimeWindow, filters: Filters): WindowEcho {
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    tz: window.tz ?? DEFAULT_TIME_ZONE,
    filters: appliedFilters(filters),
  };
}
