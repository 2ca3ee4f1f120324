/**
 * The rollout experiment's comparisons (docs/stage-gates.md "The rollout experiment"), pure:
 *
 * - **Proportions** (a success rate, a share): the difference treatment − control, with the
 *   Newcombe hybrid score interval (Newcombe 1998, method 10: each arm's Wilson interval combined,
 *   never outside [−1, 1], sound at 0 % and 100 %), tested by the pooled two-proportion z-test
 *   (two-sided).
 * - **Rates** (tickets or recovery starts per 1,000 active users): the ratio treatment ÷ control,
 *   with the conditional (binomial) interval of poissonRateRatioInterval, tested by the same
 *   conditional method — given N events in all, the treatment's share of them against its share of
 *   the exposure (the two-proportion test of the rate case, normal approximation, two-sided).
 *
 * The call: `treatment_better` / `treatment_worse` when p < ALPHA (the direction from the criterion's
 * comparator: `gte` wants higher, `lte` lower), `no_difference` otherwise, `insufficient_data`
 * when either arm is below the criterion's minimum sample (or has none at all).
 */
import { normalUpperTail } from '@/lib/alerts/stats';
import { poissonRateRatioInterval, wilsonInterval } from './stats';

export const ALPHA = 0.05;

export type ExperimentOutcome = 'treatment_better' | 'treatment_worse' | 'no_difference' | 'insufficient_data';

export interface Effect {
  /** Treatment − control (proportions) or treatment ÷ control (rates); null when undefined. */
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Two-sided p-value; null when nothing can be tested (an empty arm, no events at all). */
  pValue: number | null;
}

const twoSided = (z: number) => Math.min(1, 2 * normalUpperTail(Math.abs(z)));

/** Treatment − control for x/n proportions: Newcombe's hybrid score interval and the pooled z-test. */
export function proportionDifference(treatment: { successes: number; n: number }, control: { successes: number; n: number }): Effect {
  if (treatment.n === 0 || control.n === 0) return { estimate: null, ciLow: null, ciHigh: null, pValue: null };
  const pT = treatment.successes / treatment.n;
  const pC = control.successes / control.n;
  const t = wilsonInterval(treatment.successes, treatment.n);
  const c = wilsonInterval(control.successes, control.n);
  const difference = pT - pC;
  const ciLow = difference - Math.sqrt((pT - t.low) ** 2 + (c.high - pC) ** 2);
  const ciHigh = difference + Math.sqrt((t.high - pT) ** 2 + (pC - c.low) ** 2);
  const pooled = (treatment.successes + control.successes) / (treatment.n + control.n);
  const variance = pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n);
  // Both arms all-success or all-failure: identical, nothing to test against.
  const pValue = variance > 0 ? twoSided(difference / Math.sqrt(variance)) : 1;
  return { estimate: difference, ciLow, ciHigh, pValue };
}

/** Treatment ÷ control for event rates over exposures: the conditional interval and test. */
export function rateRatio(treatment: { events: number; exposure: number }, control: { events: number; exposure: number }): Effect {
  if (treatment.exposure <= 0 || control.exposure <= 0) return { estimate: null, ciLow: null, ciHigh: null, pValue: null };
  const interval = poissonRateRatioInterval(treatment, control);
  const total = treatment.events + control.events;
  if (total === 0) return { estimate: null, ciLow: interval.low, ciHigh: interval.high, pValue: null };
  // Under "same rate", the treatment's events are Binomial(N, its share of the exposure).
  const expectedShare = treatment.exposure / (treatment.exposure + control.exposure);
  const z = (treatment.events - total * expectedShare) / Math.sqrt(total * expectedShare * (1 - expectedShare));
  return { estimate: interval.estimate, ciLow: interval.low, ciHigh: interval.high, pValue: twoSided(z) };
}

/** The call on an effect: `higherIsBetter` from the criterion's comparator; `enough` when both arms reach its minimum sample. */
export function experimentOutcome(
  effect: Effect,
  kind: 'proportion' | 'rate',
  higherIsBetter: boolean,
  enough: boolean,
): ExperimentOutcome {
  if (!enough || effect.estimate === null || effect.pValue === null) return 'insufficient_data';
  if (effect.pValue >= ALPHA) return 'no_difference';
  const treatmentHigher = kind === 'proportion' ? effect.estimate > 0 : effect.estimate > 1;
  return treatmentHigher === higherIsBetter ? 'treatment_better' : 'treatment_worse';
}
