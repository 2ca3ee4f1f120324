/**
 * Stage-gate verdicts: measured counts in, pass / fail / inconclusive / insufficient data out
 * (DESIGN.md section 5). Pure; the metric layer measures, this module judges.
 *
 * The rules, in one place
 * - Interval kinds (proportion: Wilson 95 %; rate: exact Poisson 95 %; rate_comparison: 95 %
 *   interval of the rate ratio) — **pass** when the whole interval is on the good side of the
 *   threshold, **fail** when the whole interval is on the wrong side, **inconclusive** when it
 *   straddles the threshold. The comparator includes equality, so a bound exactly *at* the
 *   threshold is on the good side: for "≥ 0.9" a low bound of exactly 0.9 passes, and a high bound
 *   of exactly 0.9 is not a fail (the truth may be 0.9, which meets the gate). For "≤ t": high = t
 *   passes, low = t is not a fail. "Exactly" tolerates 1e-12 relative floating-point noise.
 * - Exact kinds (count, duration) have no interval: the value itself is compared, equality
 *   included. "Zero phishable recoveries" is `lte 0` (or `eq_zero`).
 * - **insufficient_data** when the sample is below the criterion's minimum, and always when it
 *   is 0 (nothing observed, whatever minSample says). Value and interval are still reported
 *   below the minimum (they are shown greyed), but are `null` when the sample is 0.
 *   One exception: an upper-bounded count (`lte`, `eq_zero`) that already exceeds its threshold
 *   fails at any sample size — an observed phishable recovery is a fact, more data cannot undo it.
 * - Duration criteria have no sample (sampleSize `null`); an unknown duration (`days: null`,
 *   e.g. no recorded stage entry) is insufficient_data.
 * - Non-finite bounds (an unbounded rate ratio) are reported as `null`: a `null` ciHigh next to a
 *   number ciLow means "no upper limit". Values that reach the API stay JSON-safe.
 */
import {
  poissonRateInterval,
  poissonRateRatioInterval,
  wilsonInterval,
  type ConfidenceInterval,
  type PoissonSample,
} from '@/lib/stage-gates/stats';

export const CRITERION_STATUSES = ['pass', 'fail', 'inconclusive', 'insufficient_data'] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];

export const TRANSITION_VERDICTS = ['ready', 'not_ready', 'inconclusive', 'insufficient_data'] as const;
export type TransitionVerdict = (typeof TRANSITION_VERDICTS)[number];

export const MEASUREMENT_KINDS = ['proportion', 'rate', 'rate_comparison', 'count', 'duration'] as const;
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

/** `eq_zero` is shorthand for `lte` with threshold 0 (the threshold is then ignored). */
export type GateComparator = 'gte' | 'lte' | 'eq_zero';

/** successes out of n trials, e.g. successful registration ceremonies / decided ceremonies. */
export interface ProportionMeasurement {
  kind: 'proportion';
  successes: number;
  n: number;
}

/**
 * events over exposure, scaled per perUnit, e.g. tickets per 1,000 active users:
 * events = tickets, exposure = active users, perUnit = 1000. `sampleSize` (the population behind
 * the exposure, compared with minSample) defaults to the exposure.
 */
export interface RateMeasurement {
  kind: 'rate';
  events: number;
  exposure: number;
  perUnit: number;
  sampleSize?: number;
}

/**
 * The subject group's event rate relative to the reference group's (a ratio; 1 = equal rates),
 * e.g. holders' recovery starts per holder vs non-holders' per non-holder. The sample is the
 * number of events in both groups together: the comparison rests on them.
 */
export interface RateComparisonMeasurement {
  kind: 'rate_comparison';
  subject: PoissonSample;
  reference: PoissonSample;
}

/** An exact count over a population of `sampleSize` (e.g. phishable recoveries among high-risk active users). */
export interface CountMeasurement {
  kind: 'count';
  count: number;
  sampleSize: number;
}

/** An exact duration in days; `null` when unknown. */
export interface DurationMeasurement {
  kind: 'duration';
  days: number | null;
}

export type GateMeasurement = ProportionMeasurement | RateMeasurement | RateComparisonMeasurement | CountMeasurement | DurationMeasurement;

export interface CriterionRule {
  comparator: GateComparator;
  threshold: number;
  minSample: number;
}

/** One criterion to judge: its rule and its measurement, side by side. */
export type CriterionInput = CriterionRule & GateMeasurement;

export interface CriterionJudgement {
  /** Point estimate (proportion in [0, 1], rate per perUnit, ratio, count or days). */
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** What minSample was compared with; `null` for durations. */
  sampleSize: number | null;
  status: CriterionStatus;
}

const RELATIVE_TOLERANCE = 1e-12;

function tolerance(threshold: number): number {
  return RELATIVE_TOLERANCE * Math.max(1, Math.abs(threshold));
}

function normalizeRule(rule: CriterionRule): { comparator: 'gte' | 'lte'; threshold: number; minSample: number } {
  if (!Number.isFinite(rule.minSample) || rule.minSample < 0) {
    throw new RangeError(`minSample must be a non-negative number, got ${rule.minSample}`);
  }
  if (rule.comparator === 'eq_zero') return { comparator: 'lte', threshold: 0, minSample: rule.minSample };
  if (!Number.isFinite(rule.threshold)) throw new RangeError(`threshold must be finite, got ${rule.threshold}`);
  return { comparator: rule.comparator, threshold: rule.threshold, minSample: rule.minSample };
}

/** Judge an interval against a threshold (see the header for the boundary rule). */
export function judgeInterval(
  interval: Pick<ConfidenceInterval, 'low' | 'high'>,
  comparator: GateComparator,
  threshold: number,
): 'pass' | 'fail' | 'inconclusive' {
  const { comparator: direction, threshold: limit } = normalizeRule({ comparator, threshold, minSample: 0 });
  const slack = tolerance(limit);
  if (direction === 'gte') {
    if (interval.low >= limit - slack) return 'pass';
    if (interval.high < limit - slack) return 'fail';
    return 'inconclusive';
  }
  if (interval.high <= limit + slack) return 'pass';
  if (interval.low > limit + slack) return 'fail';
  return 'inconclusive';
}

/** Judge an exact value against a threshold, equality included. */
export function judgeExact(value: number, comparator: GateComparator, threshold: number): 'pass' | 'fail' {
  const { comparator: direction, threshold: limit } = normalizeRule({ comparator, threshold, minSample: 0 });
  const slack = tolerance(limit);
  return (direction === 'gte' ? value >= limit - slack : value <= limit + slack) ? 'pass' : 'fail';
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function hasEnoughSample(sampleSize: number, minSample: number): boolean {
  return sampleSize > 0 && sampleSize >= minSample;
}

function fromInterval(interval: ConfidenceInterval, sampleSize: number, rule: CriterionRule): CriterionJudgement {
  if (sampleSize === 0) {
    return { value: null, ciLow: null, ciHigh: null, sampleSize, status: 'insufficient_data' };
  }
  return {
    value: finiteOrNull(interval.estimate),
    ciLow: finiteOrNull(interval.low),
    ciHigh: finiteOrNull(interval.high),
    sampleSize,
    status: hasEnoughSample(sampleSize, rule.minSample) ? judgeInterval(interval, rule.comparator, rule.threshold) : 'insufficient_data',
  };
}

function assertSampleSize(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
}

/** Judge one criterion on its measurement. Throws a RangeError on invalid input. */
export function judgeCriterion(input: CriterionInput): CriterionJudgement {
  const rule = normalizeRule(input);
  switch (input.kind) {
    case 'proportion':
      return fromInterval(wilsonInterval(input.successes, input.n), input.n, rule);

    case 'rate': {
      const sampleSize = input.sampleSize ?? input.exposure;
      assertSampleSize(sampleSize, 'sampleSize');
      if (input.exposure === 0) {
        // Nobody exposed, whatever happened (a ticket or a recovery from users with no sign-in in the
        // window): there is no rate to judge.
        return { value: null, ciLow: null, ciHigh: null, sampleSize: 0, status: 'insufficient_data' };
      }
      return fromInterval(poissonRateInterval(input.events, input.exposure, input.perUnit), sampleSize, rule);
    }

    case 'rate_comparison': {
      const { subject, reference } = input;
      for (const sample of [subject, reference]) {
        assertSampleSize(sample.exposure, 'exposure');
        assertSampleSize(sample.events, 'events');
      }
      const sampleSize = subject.events + reference.events;
      if (subject.exposure === 0 || reference.exposure === 0) {
        // One side observed nobody: there is nothing to compare with.
        return { value: null, ciLow: null, ciHigh: null, sampleSize, status: 'insufficient_data' };
      }
      return fromInterval(poissonRateRatioInterval(subject, reference), sampleSize, rule);
    }

    case 'count': {
      if (!Number.isSafeInteger(input.count) || input.count < 0) {
        throw new RangeError(`count must be a non-negative integer, got ${input.count}`);
      }
      assertSampleSize(input.sampleSize, 'sampleSize');
      const exact = judgeExact(input.count, rule.comparator, rule.threshold);
      const violationIsFinal = rule.comparator === 'lte' && exact === 'fail';
      const status = violationIsFinal || hasEnoughSample(input.sampleSize, rule.minSample) ? exact : 'insufficient_data';
      return { value: input.count, ciLow: null, ciHigh: null, sampleSize: input.sampleSize, status };
    }

    case 'duration': {
      if (input.days === null) {
        return { value: null, ciLow: null, ciHigh: null, sampleSize: null, status: 'insufficient_data' };
      }
      if (!Number.isFinite(input.days) || input.days < 0) {
        throw new RangeError(`days must be a non-negative number, got ${input.days}`);
      }
      return {
        value: input.days,
        ciLow: null,
        ciHigh: null,
        sampleSize: null,
        status: judgeExact(input.days, rule.comparator, rule.threshold),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Per device class
// ---------------------------------------------------------------------------------------------

export interface DeviceClassMeasurement {
  deviceClass: string;
  measurement: GateMeasurement;
}

export interface DeviceClassJudgement extends CriterionJudgement {
  deviceClass: string;
  /** Whether this class took part in the verdict (it had enough sample, or an irreversible fail). */
  qualifies: boolean;
}

export interface PerDeviceClassJudgement extends CriterionJudgement {
  /**
   * The class whose result is reported as the criterion's value, interval and sample size:
   * the qualifying class with the worst status (ties: the one nearest to failing, then by name),
   * or — when no class qualifies — the class with the largest sample. `null` with no classes.
   */
  deviceClass: string | null;
  /** Every class, sorted by name, including those below the minimum sample. */
  classes: DeviceClassJudgement[];
}

const STATUS_SEVERITY: Record<CriterionStatus, number> = {
  pass: 0,
  insufficient_data: 1,
  inconclusive: 2,
  fail: 3,
};

/**
 * The worst of the given statuses: fail > inconclusive > insufficient_data > pass.
 * (Within per-device-class combination only qualifying classes are compared, so there
 * insufficient_data never competes.) Empty input → insufficient_data.
 */
export function worstStatus(statuses: readonly CriterionStatus[]): CriterionStatus {
  let worst: CriterionStatus | undefined;
  for (const status of statuses) {
    if (worst === undefined || STATUS_SEVERITY[status] > STATUS_SEVERITY[worst]) worst = status;
  }
  return worst ?? 'insufficient_data';
}

/**
 * Judge a criterion in every device class and combine: each class with at least the minimum
 * sample is judged on its own and the worst status wins (fail > inconclusive > pass). Classes
 * below the minimum are reported as insufficient_data but do not block the criterion when at
 * least one class qualifies: a rare class with 12 ceremonies cannot hold back the rollout, and
 * cannot vouch for it either. When no class qualifies the criterion is insufficient_data.
 */
export function judgePerDeviceClass(rule: CriterionRule, byClass: readonly DeviceClassMeasurement[]): PerDeviceClassJudgement {
  const classes: DeviceClassJudgement[] = [...byClass]
    .sort((a, b) => compareNames(a.deviceClass, b.deviceClass))
    .map(({ deviceClass, measurement }) => {
      const judgement = judgeCriterion({ ...rule, ...measurement });
      return { deviceClass, ...judgement, qualifies: judgement.status !== 'insufficient_data' };
    });

  const qualifying = classes.filter((c) => c.qualifies);
  if (qualifying.length === 0) {
    const largest = [...classes].sort((a, b) => (b.sampleSize ?? 0) - (a.sampleSize ?? 0))[0];
    return largest
      ? { ...pickJudgement(largest), status: 'insufficient_data', deviceClass: largest.deviceClass, classes }
      : { value: null, ciLow: null, ciHigh: null, sampleSize: 0, status: 'insufficient_data', deviceClass: null, classes };
  }

  const direction = rule.comparator === 'gte' ? 'gte' : 'lte';
  const binding = [...qualifying].sort(
    (a, b) =>
      STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status] ||
      nearnessToFailing(b, direction) - nearnessToFailing(a, direction) ||
      compareNames(a.deviceClass, b.deviceClass),
  )[0] as DeviceClassJudgement;
  return { ...pickJudgement(binding), deviceClass: binding.deviceClass, classes };
}

/** Larger = closer to failing: the bound on the wrong side of the threshold, else the value. */
function nearnessToFailing(judgement: CriterionJudgement, direction: 'gte' | 'lte'): number {
  if (direction === 'gte') {
    const bound = judgement.ciLow ?? judgement.value;
    return bound === null ? 0 : -bound;
  }
  const bound = judgement.ciHigh ?? (judgement.ciLow !== null ? Infinity : judgement.value);
  return bound ?? 0;
}

function pickJudgement(judgement: CriterionJudgement): CriterionJudgement {
  const { value, ciLow, ciHigh, sampleSize, status } = judgement;
  return { value, ciLow, ciHigh, sampleSize, status };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Transition
// ---------------------------------------------------------------------------------------------

/**
 * A transition's verdict from its criteria: `ready` only when every criterion passes;
 * `not_ready` when any fails; else `inconclusive` when any is inconclusive; else
 * `insufficient_data`. A transition without criteria is `insufficient_data` (nothing vouches
 * for it).
 */
export function transitionVerdict(statuses: readonly CriterionStatus[]): TransitionVerdict {
  if (statuses.length === 0) return 'insufficient_data';
  if (statuses.includes('fail')) return 'not_ready';
  if (statuses.every((status) => status === 'pass')) return 'ready';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  return 'insufficient_data';
}
