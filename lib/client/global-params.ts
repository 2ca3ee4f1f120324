/**
 * The global time range and filters as they live in the URL (shareable; the back button restores
 * them). Pure: parsing and serialising only; `use-global-params.ts` binds it to the router.
 *
 * URL shape: `range=7d|28d|90d` (default 28d, omitted) or `from` + `to` (ISO date or date-time,
 * passed to the API unchanged), and each filter as a comma list: `deviceClass=mobile-ios,desktop-macos`.
 * `environment` absent = the server's DEFAULT_ENVIRONMENT (if configured); `environment=*` = all.
 */
import { ALL_ENVIRONMENTS } from '@/lib/domain/filters';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@/lib/domain/time-zone';
import { CREDENTIAL_KINDS, DEVICE_CLASSES, RISK_TIERS } from '@/lib/vocabulary';

export const FILTER_KEYS = [
  'deviceClass',
  'os',
  'browser',
  'provider',
  'credentialKind',
  'riskTier',
  'variant',
  'environment',
  'service',
  'serviceVersion',
  'osVersion',
  'browserVersion',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type GlobalFilters = Record<FilterKey, string[]>;

export const FILTER_LABELS: Record<FilterKey, string> = {
  deviceClass: 'Device class',
  os: 'OS',
  browser: 'Browser',
  provider: 'Provider',
  credentialKind: 'Credential kind',
  riskTier: 'Risk tier',
  variant: 'Variant',
  environment: 'Environment',
  service: 'Service',
  serviceVersion: 'Release',
  osVersion: 'OS version',
  browserVersion: 'Browser version',
};

/** The release and environment filters (DESIGN.md section 11), shown as their own group. */
export const RELEASE_FILTER_KEYS: readonly FilterKey[] = ['environment', 'service', 'serviceVersion', 'osVersion', 'browserVersion'];

/** Filters with a closed vocabulary get a multi-select; the others a comma-separated text input. */
export const FILTER_OPTIONS: Partial<Record<FilterKey, readonly string[]>> = {
  deviceClass: DEVICE_CLASSES,
  credentialKind: CREDENTIAL_KINDS,
  riskTier: RISK_TIERS,
};

export const RANGE_PRESETS = ['7d', '28d', '90d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = '28d';
const PRESET_DAYS: Record<RangePreset, number> = { '7d': 7, '28d': 28, '90d': 90 };
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export type RangeSelection = { kind: 'preset'; preset: RangePreset } | { kind: 'custom'; from: string; to: string };

export interface GlobalParams {
  range: RangeSelection;
  /** ISO strings sent to the API as `from` / `to`. */
  from: string;
  to: string;
  /** The zone of the day buckets (`tz` in the URL and the API; docs/metrics.md "Time zone"): `UTC` by default. */
  tz: string;
  filters: GlobalFilters;
  /** The API query string for these params (`from=…&to=…&deviceClass=…`), without `?`. */
  searchString: string;
}

type ReadableParams = { get(name: string): string | null };

export function splitList(value: string | null | undefined): string[] {
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ];
}

export function emptyFilters(): GlobalFilters {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, []])) as unknown as GlobalFilters;
}

export function parseRange(params: ReadableParams): RangeSelection {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to) return { kind: 'custom', from, to };
  const preset = params.get('range');
  return { kind: 'preset', preset: (RANGE_PRESETS as readonly string[]).includes(preset ?? '') ? (preset as RangePreset) : DEFAULT_PRESET };
}

/**
 * A preset window ends at the next whole minute, so query keys stay stable for a minute instead of
 * changing on every render.
 */
export function resolveRange(range: RangeSelection, nowMs: number): { from: string; to: string } {
  if (range.kind === 'custom') return { from: range.from, to: range.to };
  const end = Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS;
  return { from: new Date(end - PRESET_DAYS[range.preset] * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

export function parseFilters(params: ReadableParams): GlobalFilters {
  const filters = emptyFilters();
  for (const key of FILTER_KEYS) filters[key] = splitList(params.get(key));
  return filters;
}

export function apiSearchString(from: string, to: string, filters: GlobalFilters, tz = 'UTC'): string {
  const query = new URLSearchParams({ from, to });
  if (tz !== 'UTC') query.set('tz', tz);
  for (const key of FILTER_KEYS) if (filters[key].length > 0) query.set(key, filters[key].join(','));
  return query.toString();
}

export function parseGlobalParams(params: ReadableParams, nowMs: number): GlobalParams {
  const range = parseRange(params);
  const { from, to } = resolveRange(range, nowMs);
  const filters = parseFilters(params);
  const tz = parseTimeZone(params);
  return { range, from, to, tz, filters, searchString: apiSearchString(from, to, filters, tz) };
}

/** `tz` from the URL when it is a zone this browser knows; else UTC. */
export function parseTimeZone(params: ReadableParams): string {
  const tz = params.get('tz');
  return tz && isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE;
}

export interface GlobalParamsUpdate {
  /** A zone, or null for UTC. */
  tz?: string | null;
  range?: RangeSelection;
  filters?: Partial<GlobalFilters>;
}

/** The page URL's query after an update; keys that are not global params (e.g. `groupBy`) are kept. */
export function nextPageSearch(current: URLSearchParams, update: GlobalParamsUpdate): string {
  const next = new URLSearchParams(current);
  if (update.range) {
    next.delete('range');
    next.delete('from');
    next.delete('to');
    if (update.range.kind === 'custom') {
      next.set('from', update.range.from);
      next.set('to', update.range.to);
    } else if (update.range.preset !== DEFAULT_PRESET) {
      next.set('range', update.range.preset);
    }
  }
  if (update.tz !== undefined) {
    if (update.tz === null || update.tz === DEFAULT_TIME_ZONE) next.delete('tz');
    else next.set('tz', update.tz);
  }
  for (const [key, values] of Object.entries(update.filters ?? {}) as Array<[FilterKey, string[] | undefined]>) {
    if (!values || values.length === 0) next.delete(key);
    else next.set(key, values.join(','));
  }
  return next.toString();
}

/** Carries the global params (not page-specific ones) to another page's link. */
export function withGlobalParams(href: string, current: URLSearchParams): string {
  const carried = new URLSearchParams();
  for (const key of ['range', 'from', 'to', 'tz', ...FILTER_KEYS]) {
    const value = current.get(key);
    if (value) carried.set(key, value);
  }
  const search = carried.toString();
  return search ? `${href}?${search}` : href;
}

// Preset windows end "now"; the instant is fixed per URL for the browser session, so re-renders,
// remounts and page changes with the same URL reuse the same window (and cached queries). Choosing
// a preset again re-anchors it.
const windowAnchors = new Map<string, number>();
let seededAnchor: number | undefined;
let anchoredOnce = false;

export function windowAnchor(search: string): number {
  // On the server a module-level cache would outlive the request.
  if (typeof window === 'undefined') return Date.now();
  let anchor = windowAnchors.get(search);
  if (anchor === undefined) {
    anchor = seededAnchor ?? Date.now();
    seededAnchor = undefined;
    anchoredOnce = true;
    windowAnchors.set(search, anchor);
  }
  return anchor;
}

/**
 * The instant the server rendered this document at: the first window anchored in the browser
 * session (the document's own URL) uses it instead of the browser's clock, so the reads the server
 * started while rendering (app/(product)/first-reads.ts) are the very questions the page asks.
 * Ignored once any window has been anchored (a later render of the layout).
 */
export function seedWindowAnchor(at: number): void {
  if (typeof window !== 'undefined' && !anchoredOnce) seededAnchor = at;
}

export function resetWindowAnchors(): void {
  windowAnchors.clear();
}

/**
 * What the environment filter shows: the URL's environments, else the server's default (marked
 * `isDefault`); `*` shows as every environment (an empty list).
 */
export function environmentSelection(
  selected: readonly string[],
  defaultEnvironment: string | undefined,
): { values: string[]; isDefault: boolean } {
  if (selected.length === 0) return { values: defaultEnvironment ? [defaultEnvironment] : [], isDefault: defaultEnvironment !== undefined };
  if (selected.includes(ALL_ENVIRONMENTS)) return { values: [], isDefault: false };
  return { values: [...selected], isDefault: false };
}

/**
 * The URL value for environments chosen in the filter bar: the default itself = no parameter (it
 * keeps following the configuration); none while a default is configured = `*` (every environment).
 */
export function environmentUrlValues(chosen: readonly string[], defaultEnvironment: string | undefined): string[] {
  const values = [...new Set(chosen.filter((value) => value !== ALL_ENVIRONMENTS))];
  if (chosen.includes(ALL_ENVIRONMENTS) || values.length === 0) return defaultEnvironment ? [ALL_ENVIRONMENTS] : [];
  if (defaultEnvironment !== undefined && values.length === 1 && values[0] === defaultEnvironment) return [];
  return values;
}
