'use client';

import Link from 'next/link';
import { formatDateTime } from '@/components/kit/format';
import kit from '@/components/kit/kit.module.css';
import { Badge } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import type { TransitionVerdictValue } from '@/lib/contracts/stages';
import { currentStageQuery } from '@/lib/client/stages';
import styles from './overview.module.css';
import { useQueryAfterFirstRead } from '@/lib/client/first-read';

const VERDICT: Record<TransitionVerdictValue, { label: string; tone: 'good' | 'bad' | 'warn' | 'neutral' }> = {
  ready: { label: 'Ready to advance', tone: 'good' },
  not_ready: { label: 'Not ready', tone: 'bad' },
  inconclusive: { label: 'Inconclusive', tone: 'warn' },
  insufficient_data: { label: 'Insufficient data', tone: 'neutral' },
};

/** The rollout's current stage and the verdict of the gate out of it (stage gates ignore the global filters). */
export function CurrentStagePanel() {
  const query = useQueryAfterFirstRead(currentStageQuery());
  return (
    <QueryPanel
      query={query}
      span="third"
      title="Current stage"
      subtitle="Stage gates judge their own windows; the filters above do not apply"
      testId="panel-current-stage"
      actions={
        <Link href="/stages" className={kit.linkButton}>
          Stage gates →
        </Link>
      }
    >
      {(data) => {
        const stage = data.stages.find((s) => s.id === data.currentStage);
        const next = data.transitions.find((t) => t.next);
        const nextStage = next ? data.stages.find((s) => s.id === next.to) : undefined;
        const failing = next ? next.criteria.filter((c) => c.status === 'fail').length : 0;
        return (
          <div>
            <div className={styles.stageName} data-field="stage">
              Stage {data.currentStage}: {stage?.name ?? '—'}
            </div>
            <p className={styles.stageMeta}>
              {data.daysAtCurrentStage !== null ? `${Math.floor(data.daysAtCurrentStage)} days at this stage · ` : ''}
              evaluated {formatDateTime(data.evaluatedAt)} UTC
            </p>
            {next ? (
              <div className={styles.verdictRow} data-field="verdict" data-verdict={next.verdict}>
                <span>
                  Gate to stage {next.to}
                  {nextStage ? ` (${nextStage.name})` : ''}:
                </span>
                <Badge tone={VERDICT[next.verdict].tone}>{VERDICT[next.verdict].label}</Badge>
                {failing > 0 ? <span className={styles.stageMeta}>{failing} failing</span> : null}
              </div>
            ) : (
              <p className={styles.stageMeta}>The final stage: no further gate.</p>
            )}
            <Link href="/stages" className={kit.button}>
              Review the gates
            </Link>
          </div>
        );
      }}
    </QueryPanel>
  );
}
