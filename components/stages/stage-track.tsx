import type { StageSummary, StageTransitionResult } from '@/lib/contracts/stages';
import styles from './stages.module.css';
import { VerdictBadge } from './status-badge';

/** The five stages as a track: done ones in green, the current one marked, each with its gate's verdict. */
export function StageTrack({ stages, transitions }: { stages: StageSummary[]; transitions: StageTransitionResult[] }) {
  return (
    <ol className={styles.track} aria-label="Rollout stages">
      {stages.map((stage) => {
        const gate = transitions.find((transition) => transition.from === stage.id);
        const stateClass = stage.state === 'done' ? styles.stageDone : stage.state === 'current' ? styles.stageCurrent : '';
        return (
          <li
            key={stage.id}
            className={`${styles.stage} ${stateClass}`}
            aria-current={stage.current ? 'step' : undefined}
            title={stage.description}
          >
            <span className={styles.stageDot}>{stage.id}</span>
            <span className={styles.stageName}>{stage.name}</span>
            {stage.current ? <span className={styles.stageTag}>Current stage</span> : null}
            {gate ? (
              <span className={styles.stageGate}>
                Gate to {gate.to}: <VerdictBadge verdict={gate.verdict} />
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
