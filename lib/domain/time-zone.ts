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

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', era: 'short' });
    formatters.set(tz, f);
  }
  return f;
}

/*
 * Days are handled as day numbers (days since 1970-01-01 in the proleptic Gregorian calendar) so that
 * the arithmetic holds at the edges a window may name (year 1900, year 9999 and the week after it).
 */

/** The day number of a calendar date. */
function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0–99 stay themselves
  return Math.round(date.getTime() / DAY_MS);
}

/** The local calendar day of an instant in a zone, as a day number. */
function localDay(ms: number, tz: string): number {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const era = parts.find((p) => p.type === 'era')?.value;
  const year = era === 'BC' ? 1 - part('year') : part('year');
  return dayNumber(year, part('month'), part('day'));
}

/** `YYYY-MM-DD` of a day number (ISO's extended form beyond year 9999). */
function dayLabel(day: number): string {
  const iso = new Date(day * DAY_MS).toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

/** The day number of a `YYYY-MM-DD` label. */
function parseLabel(date: string): number {
  const match = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(ms: number, tz: string): string {
  return dayLabel(localDay(ms, tz));
}

/** A `YYYY-MM-DD` date `days` later (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return dayLabel(parseLabel(date) + days);
}

/** The first instant of a local day (midnight, or the first moment after a gap where a zone skips it). */
function startOfLocalDay(day: number, tz: string): number {
  // Zone offsets lie within ±14 h: the day begins within 15 h of its UTC midnight.
  let lo = day * DAY_MS - 15 * 3_600_000;
  let hi = day * DAY_MS + 15 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDay(mid, tz) >= day) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The instant a local date (`YYYY-MM-DD`) begins in a zone. */
export function startOfLocalDate(date: string, tz: string): number {
  return startOfLocalDay(parseLabel(date), tz);
}

/** Every local date (`YYYY-MM-DD`) in the zone that [from, to) touches, in order. */
export function zoneDays(fromMs: number, toMs: number, tz: string): string[] {
  const days: string[] = [];
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || !(toMs > fromMs)) return days;
  for (let day = localDay(fromMs, tz); startOfLocalDay(day, tz) < toMs; day++) days.push(dayLabel(day));
  return days;
}

/**
 * The weeks (Monday 00:00 to Monday 00:00, local time in the zone) that [from, to) touches: each
 * week's start and end instants (a week is 167 or 169 hours long across a clock change).
 */
export function zoneWeeks(fromMs: number, toMs: number, tz: string): Array<{ start: number; end: number }> {
  const weeks: Array<{ start: number; end: number }> = [];
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || !(toMs > fromMs)) return weeks;
  const first = localDay(fromMs, tz);
  // 1970-01-01 (day 0) was a Thursday: Monday = 0.
  let monday = first - ((((first + 3) % 7) + 7) % 7);
  for (let start = startOfLocalDay(monday, tz); start < toMs; monday += 7) {
    const end = startOfLocalDay(monday + 7, tz);
    weeks.push({ start, end });
    start = end;
  }
  return weeks;
}

/**
 * The weeks of [from, to) in the zone as windows of their own, clipped to [from, to): a first or
 * last week cut by the window is `partial`.
 */
export function zoneWeekWindows(from: Date, to: Date, tz: string): Array<{ from: Date; to: Date; partial: boolean }> {
  return zoneWeeks(from.getTime(), to.getTime(), tz).map(({ start, end }) => {
    const [weekFrom, weekTo] = [Math.max(start, from.getTime()), Math.min(end, to.getTime())];
    return { from: new Date(weekFrom), to: new Date(weekTo), partial: weekTo - weekFrom < end - start };
  });
}
