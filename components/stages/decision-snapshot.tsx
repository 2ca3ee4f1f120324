'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import kit from '@/components/kit/kit.module.css';
import { decisionSnapshotQuery } from '@/lib/client/stages';
import { formatThreshold, formatValue, STATUS_LABEL, VERDICT_LABEL } from './prepare';
import styles from './stages.module.css';

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function SnapshotTable({ decisionId }: { decisionId: string }) {
  const query = useQuery(decisionSnapshotQuery(decisionId));
  if (query.error) return <p role="alert">Could not load the evidence: {query.error.message}</p>;
  if (!query.data) return <p role="status">Loading the evidence…</p>;
  const snapshot = query.data.snapshot;
  if (!snapshot) return <p>No evidence was recorded with this decision.</p>;
  return (
    <div data-testid="decision-snapshot" data-evaluated-at={snapshot.evaluatedAt}>
      <p>
        The evaluation shown when it was decided: as of {when.format(new Date(snapshot.evaluatedAt))} UTC, config v{snapshot.configVersion},
        stage {snapshot.currentStage}.
      </p>
      <table className={kit.table}>
        <thead>
          <tr>
            <th>Gate</th>
            <th>Criterion</th>
            <th>Value</th>
            <th>Threshold</th>
            <th>95 % interval</th>
            <th>Sample</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.transitions.flatMap((transition) =>
            transition.criteria.map((criterion, index) => (
              <tr key={`${transition.from}-${criterion.id}`} data-snapshot-criterion={criterion.id} data-status={criterion.status}>
                <td>{index === 0 ? `${transition.from} → ${transition.to}: ${VERDICT_LABEL[transition.verdict]}` : ''}</td>
                <td>{criterion.label}</td>
                <td data-field="value">{formatValue(criterion.value, criterion.unit, criterion.perUnit)}</td>
                <td>{formatThreshold(criterion)}</td>
                <td>
                  {criterion.ciLow === null
                    ? '—'
                    : `${formatValue(criterion.ciLow, criterion.unit, criterion.perUnit)} – ${criterion.ciHigh === null ? '∞' : formatValue(criterion.ciHigh, criterion.unit, criterion.perUnit)}`}
                </td>
                <td>{criterion.sampleSize ?? '—'}</td>
                <td>{STATUS_LABEL[criterion.status]}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The decision's evidence, loaded when opened. */
export function DecisionSnapshot({ decisionId }: { decisionId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={styles.snapshot} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Evidence shown</summary>
      {open ? <SnapshotTable decisionId={decisionId} /> : null}
    </details>
  );
}
