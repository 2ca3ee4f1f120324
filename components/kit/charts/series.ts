import { formatCount, formatDay, formatDecimal, formatPercent } from '../format';

export type ValueFormat = 'count' | 'percent' | 'decimal';

/** One plotted series: the data key, its legend label, optional colour and stack. */
export interface SeriesSpec {
  key: string;
  label: string;
  color?: string;
  stackId?: string;
}

export function formatValue(value: unknown, format: ValueFormat): string {
  const n = typeof value === 'number' ? value : null;
  if (format === 'percent') return formatPercent(n);
  if (format === 'decimal') return formatDecimal(n);
  return formatCount(n);
}

/** Axis ticks: percentages without decimals. */
export function formatTick(value: unknown, format: ValueFormat): string {
  if (typeof value !== 'number') return '';
  if (format === 'percent') return `${Math.round(value * 100)}%`;
  return formatValue(value, format);
}

/** Time-axis labels: `YYYY-MM-DD` → "4 May"; ISO instants → "4 May 13:00". */
export function formatTimeTick(value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDay(value);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const hours = date.getUTCHours();
  return hours === 0 && date.getUTCMinutes() === 0 ? formatDay(value) : `${formatDay(value)} ${String(hours).padStart(2, '0')}:00`;
}
