import { formatCount, formatCountDelta } from '@/components/kit/format';
import { countTrend } from './prepare-recovery';
import styles from './detail.module.css';

/** A count's change against the previous period; more tickets or failures is bad news (red). */
export function TrendCell({ current, previous }: { current: number; previous: number }) {
  const trend = countTrend(current, previous);
  const tone = trend.direction === 'up' || trend.direction === 'new' ? styles.up : trend.direction === 'down' ? styles.down : styles.flat;
  const arrow = trend.direction === 'down' ? '▼' : trend.direction === 'flat' ? '•' : '▲';
  return (
    <span className={tone} data-field="trend" title={`Previous period: ${formatCount(previous)}`}>
      <span aria-hidden="true">{arrow}</span> {formatCountDelta(current, previous)}{' '}
      <span className={styles.flat}>(was {formatCount(previous)})</span>
    </span>
  );
}
