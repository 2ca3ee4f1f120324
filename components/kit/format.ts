/**
 * Number and date formats, decided once for the whole dashboard. Rates arrive from the API as
 * proportions in [0, 1] (or null when the denominator is 0) and are only formatted here, never
 * recomputed. null → "—".
 */
export const MISSING = '—';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

const MINUS = '−';

/** 1234 → "1,234". */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? MISSING : countFormat.format(value);
}

/** 2.5 → "2.5"; for per-1,000 rates and other non-integer measures. */
export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? MISSING : decimalFormat.format(value);
}

/** 0.4567 → "45.7%" (digits after the point; 0 and 1 are shown without decimals). */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return MISSING;
  if (rate === 0) return '0%';
  if (rate === 1) return '100%';
  return `${(rate * 100).toFixed(digits)}%`;
}

function signed(value: number, text: string): string {
  if (value > 0) return `+${text}`;
  if (value < 0) return `${MINUS}${text}`;
  return text;
}

/** Change of a count: 12 → "+12", −3 → "−3", 0 → "±0"; either side null → "—". */
export function formatCountDelta(current: number | null | undefined, previous: number | null | undefined): string {
  if (current === null || current === undefined || previous === null || previous === undefined) return MISSING;
  const delta = current - previous;
  return delta === 0 ? '±0' : signed(delta, countFormat.format(Math.abs(delta)));
}

/** Change of a rate in percentage points: 0.52 vs 0.5 → "+2.0 pp". */
export function formatRateDelta(current: number | null | undefined, previous: number | null | undefined, digits = 1): string {
  if (current === null || current === undefined || previous === null || previous === undefined) return MISSING;
  const points = (current - previous) * 100;
  const rounded = Number(Math.abs(points).toFixed(digits));
  return rounded === 0 ? '±0 pp' : signed(points, `${rounded.toFixed(digits)} pp`);
}

/** Relative change: 120 vs 100 → "+20%"; previous 0 → "new" when current > 0. */
export function formatRelativeChange(current: number | null | undefined, previous: number | null | undefined): string {
  if (current === null || current === undefined || previous === null || previous === undefined) return MISSING;
  if (previous === 0) return current === 0 ? '±0%' : 'new';
  const change = (current - previous) / previous;
  const rounded = Math.round(Math.abs(change) * 100);
  return rounded === 0 ? '±0%' : signed(change, `${rounded}%`);
}

/** Direction of a change, for colour: 'up' | 'down' | 'flat' | 'unknown'. */
export function changeDirection(
  current: number | null | undefined,
  previous: number | null | undefined,
): 'up' | 'down' | 'flat' | 'unknown' {
  if (current === null || current === undefined || previous === null || previous === undefined) return 'unknown';
  if (current > previous) return 'up';
  if (current < previous) return 'down';
  return 'flat';
}

/** "2026-05-04" → "4 May" (UTC). */
export function formatDay(day: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : day);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** An ISO instant → "4 May 2026" (UTC). */
export function formatDate(iso: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** An ISO instant → "4 May 2026, 13:05" (UTC). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** A window [from, to) as "4 May 2026 – 1 Jun 2026". */
export function formatWindow(from: string, to: string): string {
  return `${formatDateTime(from)} – ${formatDateTime(to)} UTC`;
}

/** Vocabulary values for display: "mobile-ios" stays, "device_bound" → "device bound". */
export function formatLabel(value: string): string {
  return value.replaceAll('_', ' ');
}
