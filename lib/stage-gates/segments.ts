/**
 * Per-segment stage-gate verdicts (DESIGN.md section 11; docs/stage-gates.md "Segments"):
 * `GET /api/v1/stages?segment=deviceClass|os|variant|riskTier` evaluates every criterion once per
 * value of the dimension seen in the criteria's windows, with that value as a filter, by the same
 * evaluator as the overall verdict (no trend). A segment's verdict informs — "ready overall, failing
 * on mobile-android" — and never replaces the transition's verdict, which stays the overall one;
 * a criterion that itself asks for every segment (perDeviceClass, as 1 → 2 does) already judges
 * every device class in the overall evaluation.
 *
 * A criterion that cannot be measured within a segment value does not apply there and does not
 * count towards that segment's verdict: a criterion restricted to other device classes (its
 * `filters.deviceClass`), or to the other risk tier (its `filters.riskTier`, and the high-risk
 * metrics, which always measure high-risk users). `days_at_current_stage` is the rollout's, the
 * same in every segment.
 */
import 'server-only';
import type { StageSegmentsResult, StageSegmentValue } from '@/lib/contracts/stages';
import { gateSegmentValues, type StageSegmentDimension } from '@/sql/queries/gate-segment-values';
import { windowFilterParams } from '@/sql/queries/shared';
import type { GateCriterion, RolloutConfig } from './config';
import { DEFAULT_WINDOW_DAYS, gateMetric, longestWindowDays } from './config';
import { HIGH_RISK_METRICS } from './drill-down';
import { emptyMeasurement, evaluateStages } from './evaluate';
import type { CriterionFilters, Measurer } from './measure';
import { cachedQuery } from './query-cache';
import { DAY_MS, type RecordedDecision } from './stage-state';
import { transitionVerdict, type TransitionVerdict } from './verdict';

/** At most this many values per dimension (the most frequent in the window): each is a whole evaluation. */
export const MAX_SEGMENT_VALUES = 12;

/** Whether `criterion` can be measured within the segment `dimension = value`. */
export function criterionAppliesToSegment(
  criterion: Pick<GateCriterion, 'metric' | 'filters'>,
  dimension: StageSegmentDimension,
  value: string,
): boolean {
  if (dimension === 'deviceClass') {
    const classes = criterion.filters?.deviceClass;
    return !classes || (classes as readonly string[]).includes(value);
  }
  if (dimension === 'riskTier') {
    const tier = HIGH_RISK_METRICS.has(criterion.metric) ? 'high' : criterion.filters?.riskTier;
    return !tier || tier === value;
  }
  return true;
}

/** Narrows a criterion's filters to one segment value; null when the criterion's own filters exclude it. */
export function narrowToSegment(filters: CriterionFilters, dimension: StageSegmentDimension, value: string): CriterionFilters | null {
  switch (dimension) {
    case 'deviceClass':
      return filters.deviceClass.length > 0 && !filters.deviceClass.includes(value) ? null : { ...filters, deviceClass: [value] };
    case 'riskTier':
      return filters.riskTier !== null && filters.riskTier !== value ? null : { ...filters, riskTier: value as 'standard' | 'high' };
    case 'os':
      return { ...filters, os: [value] };
    case 'variant':
      return { ...filters, variant: [value] };
  }
}

/** A measurer that sees only one segment value; outside the criterion's own filters it observes nothing. */
export function segmentMeasurer(base: Measurer, dimension: StageSegmentDimension, value: string): Measurer {
  return {
    async measure(metric, window, filters) {
      const narrowed = narrowToSegment(filters, dimension, value);
      if (narrowed) return base.measure(metric, window, narrowed);
      const spec = gateMetric(metric);
      return emptyMeasurement(spec.kind, spec.perUnit);
    },
    async measureByDeviceClass(metric, window, filters) {
      const narrowed = narrowToSegment(filters, dimension, value);
      return narrowed ? base.measureByDeviceClass(metric, window, narrowed) : [];
    },
  };
}

/** The longest window of the config's measured criteria: where segment values are looked for. */
export function segmentWindowDays(config: RolloutConfig): number {
  return longestWindowDays(config) || DEFAULT_WINDOW_DAYS;
}

const NO_FILTERS = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };

export interface SegmentInput {
  config: RolloutConfig;
  decisions: readonly RecordedDecision[];
  to: Date;
  stateAt: Date;
  dimension: StageSegmentDimension;
  measurer: Measurer;
  /** The overall verdicts, by `from`. */
  overall: ReadonlyMap<number, TransitionVerdict>;
}

export async function evaluateSegments(input: SegmentInput): Promise<StageSegmentsResult> {
  const window = { from: new Date(input.to.getTime() - segmentWindowDays(input.config) * DAY_MS), to: input.to };
  const found = await cachedQuery(gateSegmentValues[input.dimension], {
    ...windowFilterParams(window, NO_FILTERS),
    limit: MAX_SEGMENT_VALUES,
  });
  const criteriaOf = new Map(input.config.transitions.map((transition) => [transition.from, transition.criteria]));
  const values: StageSegmentValue[] = await Promise.all(
    found.map(async ({ value }) => {
      const evaluation = await evaluateStages({
        config: input.config,
        decisions: input.decisions,
        to: input.to,
        stateAt: input.stateAt,
        trendWindows: 0,
        measurer: segmentMeasurer(input.measurer, input.dimension, value),
      });
      return {
        value,
        transitions: evaluation.transitions.map((transition) => {
          const configured = criteriaOf.get(transition.from) ?? [];
          const criteria = transition.criteria.map((criterion) => {
            const spec = configured.find((entry) => entry.id === criterion.id);
            return {
              id: criterion.id,
              applies: spec ? criterionAppliesToSegment(spec, input.dimension, value) : true,
              value: criterion.value,
              ciLow: criterion.ciLow,
              ciHigh: criterion.ciHigh,
              sampleSize: criterion.sampleSize,
              status: criterion.status,
              measurement: criterion.measurement,
            };
          });
          const applicable = criteria.filter((criterion) => criterion.applies).map((criterion) => criterion.status);
          return {
            from: transition.from,
            to: transition.to,
            verdict: applicable.length > 0 ? transitionVerdict(applicable) : ('insufficient_data' as const),
            criteria,
          };
        }),
      };
    }),
  );
  const summaries = [...input.config.transitions]
    .sort((a, b) => a.from - b.from)
    .map((transition) => {
      const of = (verdict: string) =>
        values
          .filter((entry) => entry.transitions.find((t) => t.from === transition.from)?.verdict === verdict)
          .map((entry) => entry.value);
      return {
        from: transition.from,
        to: transition.to,
        overall: input.overall.get(transition.from) ?? ('insufficient_data' as const),
        failing: of('not_ready'),
        inconclusive: of('inconclusive'),
      };
    });
  return {
    dimension: input.dimension,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    maxValues: MAX_SEGMENT_VALUES,
    values,
    summaries,
  };
}
