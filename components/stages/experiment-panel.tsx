'use client';

import { useQuery } from '@tanstack/react-query';
import kit from '@/components/kit/kit.module.css';
import { QueryPanel } from '@/components/kit/panel';
import type { ExperimentResponse } from '@/lib/contracts/stage-experiment';
import { experimentQuery } from '@/lib/client/stages';
import { armValue, effectText, experimentHeadline, OUTCOME_LABEL, pValueText } from './prepare-experiment';
import styles from './stages.module.css';

const integer = new Intl.NumberFormat('en-US');

function ExperimentTable({ data }: { data: Extract<ExperimentResponse, { configured: true }> }) {
  return (
    <>
      <p className={styles.historySummary} data-field="experiment-headline">
        {experimentHeadline(data)}
      </p>
      <p className={styles.historySummary} data-field="experiment-arms">
        Flag <code>{data.flag}</code>: control <code>{data.control}</code> ({integer.format(data.exposed.control)} users), treatment{' '}
        {data.treatments.length > 0
          ? data.treatments.map((variant, index) => (
              <span key={variant}>
                {index > 0 ? ', ' : ''}
                <code>{variant}</code>
              </span>
            ))
          : '—'}{' '}
        ({integer.format(data.exposed.treatment)} users)
        {data.exposed.both > 0 ? `; ${integer.format(data.exposed.both)} saw both and count in each arm` : ''}.
      </p>
      <div className={kit.tableWrap}>
        <table className={kit.table}>
          <thead>
            <tr>
              <th>Gate</th>
              <th>Criterion</th>
              <th>Control</th>
              <th>Treatment</th>
              <th>Effect (95 % interval)</th>
              <th>Test</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {data.comparisons.map((comparison) => (
              <tr
                key={`${comparison.from}-${comparison.criterionId}`}
                data-criterion={comparison.criterionId}
                data-outcome={comparison.outcome}
              >
                <td className={styles.nowrap}>
                  {comparison.from} → {comparison.to}
                </td>
                <th scope="row">
                  {comparison.label}
                  <span className={styles.historyThreshold}> ({comparison.better} is better)</span>
                </th>
                <td data-field="control">
                  {armValue(comparison, 'control')}
                  <span className={styles.historyThreshold}> n={integer.format(comparison.control.sampleSize)}</span>
                </td>
                <td data-field="treatment">
                  {armValue(comparison, 'treatment')}
                  <span className={styles.historyThreshold}> n={integer.format(comparison.treatment.sampleSize)}</span>
                </td>
                <td data-field="effect">{effectText(comparison)}</td>
                <td data-field="p-value">{pValueText(comparison.pValue)}</td>
                <td data-field="outcome">{OUTCOME_LABEL[comparison.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * The rollout experiment: each proportion and rate criterion of the gates in the control and the
 * treatment arm, with the difference (or rate ratio), its 95 % interval and a two-sided test.
 */
export function ExperimentPanel({ to }: { to: string | null }) {
  const query = useQuery(experimentQuery(to));
  return (
    <QueryPanel
      query={query}
      testId="gate-experiment"
      title="Rollout experiment: treatment against control"
      subtitle="Each criterion over its own window, measured in each arm (users exposed to its variants); differences for shares, ratios for rates; a result needs p < 0.05 and the criterion's minimum sample in both arms."
    >
      {(data) =>
        data.configured ? (
          <ExperimentTable data={data} />
        ) : (
          <p className={styles.historySummary} data-field="experiment-headline">
            No rollout experiment configured. Name the rollout flag and its control variant in the rollout configuration (
            <code>{'"experiment": { "flag": "passkey-rollout", "control": "control" }'}</code>) to compare the treatment arm with it;
            docs/stage-gates.md explains how.
          </p>
        )
      }
    </QueryPanel>
  );
}
