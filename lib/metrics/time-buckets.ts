/**
 * Time-bucket gap filling with an explicit policy: a bucket without a row gets 0 for counts (nothing
 * happened) and null for rates (no denominator — charts draw a gap, never a fake 0 %).
 *
 * The one home of time buckets and gap filling, for the API (lib/metrics/windows.ts fills its day
 * series from `bucketStarts`) and the dashboard (components/kit/prepare/time-buckets.ts re-exports
 * this module). Pure: no storage, no HTTP, safe in the browser bundle.
 */
export type BucketInterval = 'hour' | 'day' | 'week';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const BUCKET_MS: Record<BucketInterval, number> = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };

export interface BucketOptions {
  /** Window [from, to), ISO date or date-time. */
  from: string;
  to: string;
  interval: BucketInterval;
  /**
   * 'utc': calendar buckets (UTC hours, UTC days, weeks from Monday 00:00 UTC), the first one
   * containing `from`. 'from': buckets of fixed length starting at `from`.
   */
  align?: 'utc' | 'from';
}

export function parseInstant(value: string): number {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value).getTime();
}

function floorToBucket(ms: number, interval: BucketInterval): number {
  if (interval === 'week') {
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
    return day - weekday * DAY_MS;
  }
  return Math.floor(ms / BUCKET_MS[interval]) * BUCKET_MS[interval];
}

/** Start (ms) of every bucket overlapping [from, to). */
export function bucketStarts({ from, to, interval, align = 'utc' }: BucketOptions): number[] {
  const start = parseInstant(from);
  const end = parseInstant(to);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return [];
  const step = BUCKET_MS[interval];
  const first = align === 'utc' ? floorToBucket(start, interval) : start;
  const starts: number[] = [];
  for (let t = first; t < end; t += step) starts.push(t);
  return starts;
}

/** The bucket a row's time falls into, under the same alignment. */
export function bucketOf(time: string, options: BucketOptions): number {
  const ms = parseInstant(time);
  if (options.align === 'from') {
    const start = parseInstant(options.from);
    const step = BUCKET_MS[options.interval];
    return start + Math.floor((ms - start) / step) * step;
  }
  return floorToBucket(ms, options.interval);
}

/** Day and week buckets under UTC alignment are labelled `YYYY-MM-DD`; others by ISO instant. */
export function bucketLabel(ms: number, options: BucketOptions): string {
  const iso = new Date(ms).toISOString();
  return options.interval !== 'hour' && (options.align ?? 'utc') === 'utc' ? iso.slice(0, 10) : iso;
}

export type FilledBucket<C extends string, R extends string> = {
  /** Bucket label (see bucketLabel) and start in ms. */
  start: string;
  startMs: number;
  /** false when the API had no row for this bucket (filled by policy). */
  present: boolean;
} & { [K in C]: number } & { [K in R]: number | null };

export interface FillOptions<Row, C extends string, R extends string> extends BucketOptions {
  time: (row: Row) => string;
  counts: readonly C[];
  rates: readonly R[];
}

/**
 * One entry per bucket of the window, in time order. Rows outside the window are dropped; two rows
 * in one bucket add their counts (a rate cannot be added, so that bucket's rates become null).
 */
export function fillTimeBuckets<
  Row extends Partial<Record<C, number>> & Partial<Record<R, number | null>>,
  C extends string,
  R extends string,
>(rows: readonly Row[], options: FillOptions<Row, C, R>): Array<FilledBucket<C, R>> {
  const byBucket = new Map<number, Row[]>();
  for (const row of rows) {
    const bucket = bucketOf(options.time(row), options);
    const list = byBucket.get(bucket);
    if (list) list.push(row);
    else byBucket.set(bucket, [row]);
  }
  return bucketStarts(options).map((startMs) => {
    const members = byBucket.get(startMs) ?? [];
    const entry: Record<string, string | number | boolean | null> = {
      start: bucketLabel(startMs, options),
      startMs,
      present: members.length > 0,
    };
    for (const key of options.counts) entry[key] = members.reduce((sum, row) => sum + (row[key] ?? 0), 0);
    for (const key of options.rates) {
      const only = members.length === 1 ? members[0] : undefined;
      const value = only ? only[key] : null;
      entry[key] = typeof value === 'number' ? value : null;
    }
    return entry as FilledBucket<C, R>;
  });
}
