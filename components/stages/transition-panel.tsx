import kit from '@/components/kit/kit.module.css';
import { Panel } from '@/components/kit/panel';
import type { StageSummary, StageTransitionResult } from '@/lib/contracts/stages';
import { CriterionRow } from './criterion-row';
import { VERDICT_EXPLANATION } from './prepare';
import styles from './stages.module.css';
import { VerdictBadge } from './status-badge';

/** One gate: its verdict, why, and every criterion with its evidence. */
export function TransitionPanel({
  transition,
  stages,
  trendPending,
}: {
  transition: StageTransitionResult;
  stages: StageSummary[];
  trendPending: boolean;
}) {
  const name = (id: number) => stages.find((stage) => stage.id === id)?.name ?? `Stage ${id}`;
  const failing = transition.criteria.filter((criterion) => criterion.status === 'fail').map((criterion) => criterion.label);
  return (
    <Panel
      testId={`gate-${transition.from}-${transition.to}`}
      title={`${transition.from} → ${transition.to}: ${name(transition.from)} → ${name(transition.to)}`}
      subtitle={`${VERDICT_EXPLANATION[transition.verdict]}${failing.length > 0 ? ` Failing: ${failing.join('; ')}.` : ''}`}
      actions={
        <>
          {transition.next ? <span className={styles.nextTag}>Next gate</span> : null}
          <VerdictBadge verdict={transition.verdict} />
        </>
      }
    >
      <div className={kit.tableWrap}>
        <table className={`${kit.table} ${styles.criteria}`}>
          <thead>
            <tr>
              <th>Criterion</th>
              <th className={styles.num}>Value</th>
              <th className={styles.num}>Threshold</th>
              <th>95 % interval vs threshold</th>
              <th className={styles.sampleCell}>Sample</th>
              <th>Trend</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {transition.criteria.map((criterion) => (
              <CriterionRow key={criterion.id} criterion={criterion} trendPending={trendPending} />
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
