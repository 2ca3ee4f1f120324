import kit from '@/components/kit/kit.module.css';
import { Panel } from '@/components/kit/panel';
import type { StageDecision } from '@/lib/contracts/stages';
import { DecisionSnapshot } from './decision-snapshot';
import { ACTION_LABEL } from './prepare';
import styles from './stages.module.css';

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** Every recorded decision, newest first. */
export function DecisionLog({ decisions }: { decisions: StageDecision[] }) {
  return (
    <div id="decisions" className={styles.spanFull}>
      <Panel
        testId="decision-log"
        title="Decision log"
        subtitle="Advance, hold and roll back, newest first; the newest decision sets the current stage."
        state={
          decisions.length === 0
            ? { status: 'empty', message: 'No decision recorded yet: the current stage comes from the rollout config.' }
            : { status: 'ready' }
        }
      >
        <div className={kit.tableWrap}>
          <table className={kit.table}>
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Decision</th>
                <th>Stage</th>
                <th>By</th>
                <th>Why</th>
                <th>Evidence</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((decision) => (
                <tr key={decision.id} data-decision={decision.id}>
                  <td className={styles.nowrap}>{when.format(new Date(decision.decidedAt))}</td>
                  <td>{ACTION_LABEL[decision.action]}</td>
                  <td className={styles.nowrap}>
                    {decision.fromStage === decision.toStage ? decision.toStage : `${decision.fromStage} → ${decision.toStage}`}
                  </td>
                  <td>{decision.actor}</td>
                  <td className={styles.reason}>{decision.reason}</td>
                  <td>{decision.snapshotUrl ? <DecisionSnapshot decisionId={decision.id} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
