/** What the rollout-experiment panel shows, pure (components/stages/experiment-panel.tsx). */
import type { ExperimentComparison, ExperimentResponse } from '@/lib/contracts/stage-experiment';
import { formatValue } from './prepare';

export const OUTCOME_LABEL: Record<ExperimentComparison['outcome'], string> = {
  treatment_better: 'Treatment better',
  treatment_worse: 'Treatment worse',
  no_difference: 'No clear difference',
  insufficient_data: 'Not enough data',
};

const points = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const ratio = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An arm's value as the gate shows it: "94.0 %" or "1.20 per 1,000". */
export function armValue(comparison: ExperimentComparison, arm: 'control' | 'treatment'): string {
  return formatValue(comparison[arm].value, comparison.kind === 'proportion' ? 'proportion' : 'rate', comparison.perUnit);
}

/**
 * The effect with its 95 % interval: a difference in percentage points ("+3.2 pts (−0.5 to +6.9)")
 * or a rate ratio ("0.82× (0.61 to 1.10)"); an open upper end is "∞".
 */
export function effectText(comparison: ExperimentComparison): string {
  if (comparison.estimate === null) return '—';
  if (comparison.effect === 'difference') {
    const pts = (value: number | null) => (value === null ? '—' : points.format(value * 100));
    return `${pts(comparison.estimate)} pts (${pts(comparison.ciLow)} to ${pts(comparison.ciHigh)})`;
  }
  const times = (value: number | null) => (value === null ? '∞' : ratio.format(value));
  return `${times(comparison.estimate)}× (${times(comparison.ciLow)} to ${times(comparison.ciHigh)})`;
}

/** "p = 0.031", "p < 0.001", or "—". */
export function pValueText(pValue: number | null): string {
  if (pValue === null) return '—';
  return pValue < 0.001 ? 'p < 0.001' : `p = ${pValue.toFixed(3)}`;
}

/** The panel's headline: which criteria the treatment wins or loses, or that nothing differs yet. */
export function experimentHeadline(data: Extract<ExperimentResponse, { configured: true }>): string {
  if (data.treatments.length === 0) return `No user has been given a treatment variant of ${data.flag} yet.`;
  const worse = data.comparisons.filter((comparison) => comparison.outcome === 'treatment_worse');
  const better = data.comparisons.filter((comparison) => comparison.outcome === 'treatment_better');
  if (worse.length > 0) return `Treatment worse on ${worse.map((comparison) => comparison.label.toLowerCase()).join(', ')}.`;
  if (better.length > 0) return `Treatment better on ${better.length} of ${data.comparisons.length} criteria, worse on none.`;
  return 'No clear difference between treatment and control on any criterion yet.';
}
