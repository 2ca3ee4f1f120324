/**
 * Day buckets in a time zone (`tz`, DESIGN.md section 11; docs/metrics.md "Time zone"): an IANA
 * name moves the boundaries of the day buckets — a sign-in at 23:30 UTC is on the next day in
 * Europe/Berlin — not only their labels. `UTC` is the default. Pure: safe in the browser bundle.
 */
export const DEFAULT_TIME_ZONE = 'UTC';

/** Whether `name` is a time zone this runtime (and ClickHouse's tzdata) knows: `UTC` or an IANA name. */
export function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(ms: number, tz: string): string {
  return formatter(tz).format(new Date(ms));
}

/** A `YYYY-MM-DD` date `days` later (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const nextDate = (date: string) => addDays(date, 1);

/**
 * The instant a local date begins in a zone (its first instant: midnight, or the first moment after
 * a gap where a zone skips midnight). Found by correcting a UTC guess by the zone's offset.
 */
export function startOfLocalDate(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Zone offsets lie within ±14 h: the day begins in [utcMidnight − 14 h, utcMidnight + 14 h].
  let lo = utcMidnight - 15 * 3_600_000;
  let hi = utcMidnight + 15 * 3_600_000;
  // The first instant whose local date is `date` or later: binary search to the minute, then to the ms.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, tz) >= date) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Every local date (`YYYY-MM-DD`) in the zone that [from, to) touches, in order. */
export function zoneDays(fromMs: number, toMs: number, tz: string): string[] {
  if (!(toMs > fromMs)) return [];
  const days: string[] = [];
  for (let day = localDate(fromMs, tz); startOfLocalDate(day, tz) < toMs; day = nextDate(day)) days.push(day);
  return days;
}

/** Monday of the week (ISO) holding a `YYYY-MM-DD` date (calendar arithmetic). */
function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

/**
 * The weeks (Monday 00:00 to Monday 00:00, local time in the zone) that [from, to) touches: each
 * week's start and end instants (a week is 167 or 169 hours long across a clock change).
 */
export function zoneWeeks(fromMs: number, toMs: number, tz: string): Array<{ start: number; end: number }> {
  const weeks: Array<{ start: number; end: number }> = [];
  if (!(toMs > fromMs)) return weeks;
  let monday = mondayOf(localDate(fromMs, tz));
  let start = startOfLocalDate(monday, tz);
  while (start < toMs) {
    const next = addDays(monday, 7);
    const end = startOfLocalDate(next, tz);
    weeks.push({ start, end });
    monday = next;
    start = end;
  }
  return weeks;
}
