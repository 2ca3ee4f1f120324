import type { StageCriterion } from '@/lib/contracts/stages';
import { IntervalBar } from './interval-bar';
import { formatEvidence, formatSample, formatThreshold, formatValue, sampleParts } from './prepare';
import styles from './stages.module.css';
import { StatusBadge } from './status-badge';
import { lazyChart } from '@/components/kit/charts/lazy-chart';

/** Recharts stays out of the page's first load (lazy-chart.tsx). */
export const TrendSparkline = lazyChart(
  () => import('./trend-sparkline').then((module) => module.TrendSparkline),
  ({ criterion }) => ({ height: 36, label: `${criterion.label}: trend` }),
);

function DeviceClassBreakdown({ criterion }: { criterion: StageCriterion }) {
  if (criterion.classes.length === 0) return null;
  return (
    <details className={styles.breakdown}>
      <summary>
        By device class ({criterion.classes.length}
        {criterion.deviceClass ? `; deciding: ${criterion.deviceClass}` : ''})
      </summary>
      <table>
        <thead>
          <tr>
            <th>Device class</th>
            <th className={styles.num}>Value</th>
            <th className={styles.num}>Evidence</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {criterion.classes.map((entry) => (
            <tr key={entry.deviceClass} className={entry.qualifies ? undefined : styles.greyed}>
              <td>
                <a className={styles.link} href={entry.drillDown}>
                  {entry.deviceClass}
                </a>
              </td>
              <td className={styles.num}>{formatValue(entry.value, criterion.unit, criterion.perUnit)}</td>
              <td className={styles.num}>{formatEvidence({ measurement: entry.measurement })}</td>
              <td>
                <StatusBadge status={entry.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function CriterionRow({ criterion, trendPending }: { criterion: StageCriterion; trendPending: boolean }) {
  const insufficient = criterion.status === 'insufficient_data';
  const sample = sampleParts(criterion);
  return (
    <tr data-criterion={criterion.id} data-status={criterion.status}>
      <td className={styles.criterionCell}>
        <div className={styles.criterionLabel}>{criterion.label}</div>
        {criterion.description ? <div className={styles.criterionDescription}>{criterion.description}</div> : null}
        <div className={styles.criterionLinks}>
          {criterion.drillDown ? <a href={criterion.drillDown}>Evidence →</a> : null}
          <span>
            {criterion.windowDays} days{criterion.filters.riskTier ? ` · ${criterion.filters.riskTier}-risk` : ''}
            {criterion.filters.deviceClass.length > 0 ? ` · ${criterion.filters.deviceClass.join(', ')}` : ''}
          </span>
        </div>
        <DeviceClassBreakdown criterion={criterion} />
      </td>
      <td className={`${styles.num} ${insufficient ? styles.greyed : ''}`}>
        <div data-field="value">{formatValue(criterion.value, criterion.unit, criterion.perUnit)}</div>
        <div className={`${styles.small} ${styles.muted}`}>{formatEvidence(criterion)}</div>
      </td>
      <td className={styles.num} data-field="threshold">
        {formatThreshold(criterion)}
      </td>
      <td>
        <IntervalBar criterion={criterion} />
      </td>
      <td className={styles.sampleCell} title={formatSample(criterion)}>
        <div className={styles.num} data-field="sample">
          {sample.count}
        </div>
        {sample.detail ? <div className={`${styles.small} ${styles.muted}`}>{sample.detail}</div> : null}
      </td>
      <td>
        <TrendSparkline criterion={criterion} pending={trendPending} />
      </td>
      <td className={styles.nowrap}>
        <StatusBadge status={criterion.status} />
      </td>
    </tr>
  );
}
