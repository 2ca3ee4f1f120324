import type { ReactNode } from 'react';
import {
  changeDirection,
  formatCount,
  formatCountDelta,
  formatDecimal,
  formatPercent,
  formatRateDelta,
  formatRelativeChange,
} from './format';
import styles from './kit.module.css';

export type StatKind = 'count' | 'percent' | 'decimal';

export interface StatProps {
  label: ReactNode;
  value: number | null;
  kind: StatKind;
  /** The same number over the previous period; shows the change when given (null = unknown). */
  previous?: number | null;
  /** Which direction is good news, for colour; 'none' keeps the change neutral. */
  good?: 'up' | 'down' | 'none';
  /** A short definition under the number. */
  hint?: ReactNode;
  testId: string;
}

export function formatStatValue(value: number | null, kind: StatKind): string {
  if (kind === 'percent') return formatPercent(value);
  if (kind === 'decimal') return formatDecimal(value);
  return formatCount(value);
}

/**
 * A headline number and its change against the previous period. `data-value` carries the API's raw
 * value so tests compare the screen with the API without re-parsing formatted text.
 */
export function Stat({ label, value, kind, previous, good = 'up', hint, testId }: StatProps) {
  const showChange = previous !== undefined;
  const direction = showChange ? changeDirection(value, previous) : 'unknown';
  const tone = direction === 'flat' || direction === 'unknown' || good === 'none' ? 'neutral' : direction === good ? 'good' : 'bad';
  const change =
    kind === 'percent'
      ? formatRateDelta(value, previous)
      : `${formatCountDelta(value, previous)}${previous ? ` (${formatRelativeChange(value, previous)})` : ''}`;
  return (
    <div className={styles.stat} data-testid={testId} data-value={value ?? ''}>
      <div className={styles.statLabel}>{label}</div>
      <div className={styles.statValue} data-field="value">
        {formatStatValue(value, kind)}
      </div>
      {showChange ? (
        <div
          className={styles.statChange}
          data-tone={tone}
          data-field="change"
          title={`Previous period: ${formatStatValue(previous ?? null, kind)}`}
        >
          <span aria-hidden="true">{direction === 'up' ? '▲' : direction === 'down' ? '▼' : '•'}</span> {change}{' '}
          <span className={styles.statPrevious}>vs {formatStatValue(previous ?? null, kind)} before</span>
        </div>
      ) : null}
      {hint ? <div className={styles.statHint}>{hint}</div> : null}
    </div>
  );
}

/** A responsive row of Stats. */
export function StatGrid({ children }: { children: ReactNode }) {
  return <div className={styles.statGrid}>{children}</div>;
}
