/** Rates and tallies as every metric endpoint reports them: proportions, null on a zero denominator. */
import type { CeremonyTallies, Rate } from './contract-parts';

/** numerator / denominator, or null when the denominator is 0 (never NaN or Infinity). */
export function rate(numerator: number, denominator: number): Rate {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return null;
  return Math.min(1, Math.max(0, numerator / denominator));
}

export interface OutcomeCounts {
  successes: number;
  failures: number;
  cancellations: number;
}

export const NO_OUTCOMES: OutcomeCounts = { successes: 0, failures: 0, cancellations: 0 };

/** Tallies from outcome counts: success rate over decided ceremonies, cancel rate over all. */
export function tallies({ successes, failures, cancellations }: OutcomeCounts): CeremonyTallies {
  const ceremonies = successes + failures + cancellations;
  return {
    ceremonies,
    successes,
    failures,
    cancellations,
    successRate: rate(successes, successes + failures),
    cancelRate: rate(cancellations, ceremonies),
  };
}

export function addOutcomes(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { successes: a.successes + b.successes, failures: a.failures + b.failures, cancellations: a.cancellations + b.cancellations };
}
