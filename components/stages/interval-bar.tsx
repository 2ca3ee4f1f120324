import type { StageCriterion } from '@/lib/contracts/stages';
import { formatInterval, formatValue, intervalMarks } from './prepare';
import styles from './stages.module.css';

const WIDTH = 180;
const HEIGHT = 34;
const PAD = 6;
const STATUS_COLOR: Record<StageCriterion['status'], string> = {
  pass: 'var(--good)',
  fail: 'var(--bad)',
  inconclusive: 'var(--warn)',
  insufficient_data: 'var(--muted)',
};

/** The 95 % interval (or the exact value) against the threshold, on an axis zoomed to fit both. */
export function IntervalBar({ criterion }: { criterion: StageCriterion }) {
  if (criterion.value === null && criterion.ciLow === null) return <span className={styles.greyed}>—</span>;
  const marks = intervalMarks(criterion);
  const x = (fraction: number) => PAD + fraction * (WIDTH - 2 * PAD);
  const color = STATUS_COLOR[criterion.status];
  const label = `${formatValue(criterion.value, criterion.unit, criterion.perUnit)}${criterion.ciLow !== null ? `, ${formatInterval(criterion)}` : ''}, threshold ${formatValue(criterion.threshold, criterion.unit, criterion.perUnit)}`;
  return (
    <div>
      <svg className={styles.intervalBar} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <line x1={PAD} x2={WIDTH - PAD} y1={18} y2={18} stroke="var(--line)" strokeWidth={2} />
        {marks.low !== null && marks.high !== null ? (
          <rect x={x(marks.low)} y={13} width={Math.max(2, x(marks.high) - x(marks.low))} height={10} rx={3} fill={color} opacity={0.3} />
        ) : null}
        {marks.openEnded ? (
          <path d={`M ${WIDTH - PAD - 6} 13 L ${WIDTH - PAD} 18 L ${WIDTH - PAD - 6} 23`} fill="none" stroke={color} strokeWidth={1.5} />
        ) : null}
        {marks.value !== null ? <circle cx={x(marks.value)} cy={18} r={4} fill={color} /> : null}
        <line x1={x(marks.threshold)} x2={x(marks.threshold)} y1={6} y2={30} stroke="var(--fg)" strokeWidth={1.5} strokeDasharray="3 2" />
        <text
          x={x(marks.threshold)}
          y={0}
          fontSize={8}
          textAnchor={marks.threshold < 0.15 ? 'start' : marks.threshold > 0.85 ? 'end' : 'middle'}
          fill="var(--muted)"
          dominantBaseline="hanging"
        >
          threshold
        </text>
      </svg>
      {criterion.ciLow !== null ? <div className={styles.intervalCaption}>{formatInterval(criterion)}</div> : null}
    </div>
  );
}
