import 'server-only';
/**
 * The rollout experiment (DESIGN.md section 11; docs/stage-gates.md "The rollout experiment"):
 * treatment against control for every gate criterion where a comparison means something — the
 * proportions (success rates, shares) and the rates (tickets, recovery starts per 1,000 active
 * users); counts, ratios between holders and non-holders and durations are not compared. Each
 * criterion is measured over its own window ending at `to`, with its own filters, once per arm
 * (the arm's variants as the `variant` filter: users exposed to them before `to`), by the same
 * measurer as the verdicts, so an arm's number is exactly what the page would show with that
 * variant filter. Per-device-class criteria are compared over all their device classes together.
 */
import type { ExperimentComparison, ExperimentResponse } from '@/lib/contracts/stage-experiment';
import { appliedEnvironments } from '@/lib/metrics/environment';
import { gateExperimentArms } from '@/sql/queries/gate-experiment-arms';
import { gateMetric, type GateCriterion, type RolloutConfig } from './config';
import { criterionFilters, criterionWindows, emptyMeasurement } from './evaluate';
import { ALPHA, experimentOutcome, proportionDifference, rateRatio } from './experiment-stats';
import type { MeasuredMetricId, Measurer, MeasureWindow } from './measure';
import { cachedQuery } from './query-cache';
import type { GateMeasurement } from './verdict';

type Arm = ExperimentComparison['control'];

function armOf(measurement: GateMeasurement): Arm {
  if (measurement.kind === 'proportion') {
    return { value: measurement.n > 0 ? measurement.successes / measurement.n : null, sampleSize: measurement.n, measurement };
  }
  if (measurement.kind === 'rate') {
    const value = measurement.exposure > 0 ? (measurement.events / measurement.exposure) * measurement.perUnit : null;
    return { value, sampleSize: measurement.sampleSize ?? measurement.exposure, measurement };
  }
  throw new Error(`a ${measurement.kind} measurement is not compared`);
}

/** The criteria the experiment compares: proportions and rates. */
export function comparedCriteria(config: RolloutConfig): Array<{ from: number; to: number; criterion: GateCriterion }> {
  return config.transitions.flatMap((transition) =>
    transition.criteria
      .filter(
        (criterion) => criterion.metric !== 'days_at_current_stage' && ['proportion', 'rate'].includes(gateMetric(criterion.metric).kind),
      )
      .map((criterion) => ({ from: transition.from, to: transition.to, criterion })),
  );
}

const finiteOrNull = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);

export async function compareExperiment(config: RolloutConfig, to: Date, measurer: Measurer): Promise<ExperimentResponse> {
  const evaluatedAt = to.toISOString();
  if (!config.experiment) return { configured: false, evaluatedAt };
  const { flag, control } = config.experiment;
  const environments = appliedEnvironments({});
  const [arms] = await cachedQuery(gateExperimentArms, { to, flag, control, environments });
  const treatments = arms?.treatments ?? [];

  const comparisons = await Promise.all(
    comparedCriteria(config).map(async ({ from, to: next, criterion }): Promise<ExperimentComparison> => {
      const spec = gateMetric(criterion.metric);
      const kind = spec.kind as 'proportion' | 'rate';
      const metric = criterion.metric as MeasuredMetricId;
      const [window] = criterionWindows(to, criterion.windowDays, 0) as [MeasureWindow];
      const filters = criterionFilters(criterion);
      const [controlMeasurement, treatmentMeasurement] = await Promise.all([
        measurer.measure(metric, window, { ...filters, variant: [control] }),
        // No treatment variant seen yet: the treatment arm is empty (an empty variant filter would mean everyone).
        treatments.length > 0
          ? measurer.measure(metric, window, { ...filters, variant: treatments })
          : Promise.resolve(emptyMeasurement(kind, spec.perUnit)),
      ]);
      const controlArm = armOf(controlMeasurement);
      const treatmentArm = armOf(treatmentMeasurement);
      const effect =
        controlMeasurement.kind === 'proportion' && treatmentMeasurement.kind === 'proportion'
          ? proportionDifference(treatmentMeasurement, controlMeasurement)
          : controlMeasurement.kind === 'rate' && treatmentMeasurement.kind === 'rate'
            ? rateRatio(treatmentMeasurement, controlMeasurement)
            : { estimate: null, ciLow: null, ciHigh: null, pValue: null };
      const enough =
        controlArm.sampleSize >= Math.max(1, criterion.minSample) && treatmentArm.sampleSize >= Math.max(1, criterion.minSample);
      const higherIsBetter = criterion.comparator === 'gte';
      return {
        from,
        to: next,
        criterionId: criterion.id,
        label: spec.label,
        metric: criterion.metric,
        kind,
        perUnit: kind === 'rate' ? (spec.perUnit ?? 1) : null,
        window: { from: window.from.toISOString(), to: evaluatedAt },
        better: higherIsBetter ? 'higher' : 'lower',
        minSample: criterion.minSample,
        control: controlArm,
        treatment: treatmentArm,
        effect: kind === 'proportion' ? 'difference' : 'ratio',
        estimate: finiteOrNull(effect.estimate),
        ciLow: finiteOrNull(effect.ciLow),
        ciHigh: finiteOrNull(effect.ciHigh),
        pValue: effect.pValue,
        outcome: experimentOutcome(effect, kind, higherIsBetter, enough),
      };
    }),
  );
  return {
    configured: true,
    evaluatedAt,
    configVersion: config.version,
    flag,
    control,
    treatments,
    exposed: { control: arms?.controlUsers ?? 0, treatment: arms?.treatmentUsers ?? 0, both: arms?.bothUsers ?? 0 },
    alpha: ALPHA,
    environments,
    comparisons,
  };
}
