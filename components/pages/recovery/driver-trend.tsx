/**
 * A driver's tickets per UTC day of the window as a tiny inline sparkline (a plain SVG polyline: a
 * chart library per table row would cost far more than it shows), and its one-line summary.
 */
import type { TicketDriverRow } from '@/lib/contracts/support';
import { plural } from './plural';
import styles from './drivers.module.css';

const WIDTH = 96;
const HEIGHT = 22;
const PAD = 2;

/** `3 tickets over 28 days, most on 2026-11-20` (the earliest of the busiest days); `No ticket over 28 days`. */
export function trendSummary(daily: TicketDriverRow['daily']): string {
  const days = plural(daily.length, 'day', 'days');
  let total = 0;
  let busiest: TicketDriverRow['daily'][number] | undefined;
  for (const entry of daily) {
    total += entry.tickets;
    if (entry.tickets > (busiest?.tickets ?? 0)) busiest = entry;
  }
  if (!busiest) return `No ticket over ${days}`;
  return `${plural(total, 'ticket', 'tickets')} over ${days}, most on ${busiest.day}`;
}

/** The polyline's points: days spread over the width, 0 on the baseline, the busiest day at the top. */
export function sparklinePoints(counts: readonly number[], width = WIDTH, height = HEIGHT, pad = PAD): Array<[number, number]> {
  const max = Math.max(1, ...counts);
  const step = counts.length > 1 ? (width - 2 * pad) / (counts.length - 1) : 0;
  const round = (value: number) => Math.round(value * 10) / 10;
  return counts.map((count, index) => [
    round(counts.length > 1 ? pad + index * step : width / 2),
    round(height - pad - (count / max) * (height - 2 * pad)),
  ]);
}

export function DriverTrend({ daily }: { daily: TicketDriverRow['daily'] }) {
  const summary = trendSummary(daily);
  const points = sparklinePoints(daily.map((entry) => entry.tickets));
  const peak = points.reduce<[number, number] | null>((top, point) => (top === null || point[1] < top[1] ? point : top), null);
  return (
    <svg
      className={styles.sparkline}
      data-testid="driver-trend"
      data-days={daily.length}
      role="img"
      aria-label={summary}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
    >
      <title>{summary}</title>
      <line className={styles.sparkBase} x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} />
      {points.length > 1 ? <polyline className={styles.sparkLine} points={points.map(([x, y]) => `${x},${y}`).join(' ')} /> : null}
      {peak && daily.some((entry) => entry.tickets > 0) ? <circle className={styles.sparkPeak} cx={peak[0]} cy={peak[1]} r={2} /> : null}
    </svg>
  );
}
