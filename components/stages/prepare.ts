/**
 * Pure preparation for the Stage gates page: how values, thresholds and samples read, where an
 * interval bar's marks go, the trend series, which stages a decision may name and the decision log
 * with the decisions this page just recorded. Unit-tested in
 * tests/unit/stage-gates-prepare.test.ts; the components render and decide nothing.
 */
import type {
  CriterionStatusValue,
  DecisionAction,
  StageCriterion,
  StageDecision,
  TransitionVerdictValue,
  TrendPoint,
  ValueUnit,
} from '@/lib/contracts/stages';

export const STATUS_LABEL: Record<CriterionStatusValue, string> = {
  pass: 'Pass',
  fail: 'Fail',
  inconclusive: 'Inconclusive',
  insufficient_data: 'Insufficient data',
};

export const VERDICT_LABEL: Record<TransitionVerdictValue, string> = {
  ready: 'Ready',
  not_ready: 'Not ready',
  inconclusive: 'Inconclusive',
  insufficient_data: 'Insufficient data',
};

export const VERDICT_EXPLANATION: Record<TransitionVerdictValue, string> = {
  ready: 'Every criterion passes, with 95 % confidence.',
  not_ready: 'At least one criterion fails: its whole interval is on the wrong side of the threshold.',
  inconclusive: 'Nothing fails, but at least one interval still straddles its threshold: more data is needed.',
  insufficient_data: 'Nothing fails, but some criteria have fewer observations than their minimum sample.',
};

export const ACTION_LABEL: Record<DecisionAction, string> = { advance: 'Advance', hold: 'Hold', roll_back: 'Roll back' };

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A value in its unit: 98.1 %, 2.50 per 1,000, 0.83×, 1, 90 days; '—' when there is none. */
export function formatValue(value: number | null, unit: ValueUnit, perUnit: number | null = null): string {
  if (value === null) return '—';
  switch (unit) {
    case 'proportion':
      return `${oneDecimal.format(value * 100)} %`;
    case 'rate':
      return `${twoDecimals.format(value)} per ${integer.format(perUnit ?? 1)}`;
    case 'ratio':
      return `${twoDecimals.format(value)}×`;
    case 'count':
      return integer.format(value);
    case 'days':
      return `${integer.format(value)} ${value === 1 ? 'day' : 'days'}`;
  }
}

/** "≥ 90 %", "≤ 2.00 per 1,000", "≤ 1.00×", "= 0", "≥ 60 days". */
export function formatThreshold(criterion: Pick<StageCriterion, 'comparator' | 'threshold' | 'unit' | 'perUnit'>): string {
  if (criterion.unit === 'count' && criterion.comparator === 'lte' && criterion.threshold === 0) return '= 0';
  const sign = criterion.comparator === 'gte' ? '≥' : '≤';
  return `${sign} ${formatValue(criterion.threshold, criterion.unit, criterion.perUnit)}`;
}

/** "95 % CI 93.4 – 99.5 %", "no upper limit" for an unbounded ratio, '' without an interval. */
export function formatInterval(criterion: Pick<StageCriterion, 'ciLow' | 'ciHigh' | 'unit' | 'perUnit'>): string {
  if (criterion.ciLow === null) return '';
  const low = formatValue(criterion.ciLow, criterion.unit, criterion.perUnit);
  if (criterion.ciHigh === null) return `95 % CI from ${low}, no upper limit`;
  return `95 % CI ${low} – ${formatValue(criterion.ciHigh, criterion.unit, criterion.perUnit)}`;
}

/** What the sample is and how it compares with the minimum: "107 registration ceremonies (min. 100)". */
export function formatSample(criterion: Pick<StageCriterion, 'sampleSize' | 'minSample' | 'sampleUnit'>): string {
  if (criterion.sampleSize === null) return '—';
  const unit = criterion.sampleUnit ? ` ${criterion.sampleUnit.replace(/\s*\(.*\)$/, '')}` : '';
  return `${formatCount(criterion.sampleSize)}${unit} (min. ${formatCount(criterion.minSample)})`;
}

/** The sample as two lines for the table: the number, then what it counts and the minimum. */
export function sampleParts(criterion: Pick<StageCriterion, 'sampleSize' | 'minSample' | 'sampleUnit'>): { count: string; detail: string } {
  if (criterion.sampleSize === null) return { count: '—', detail: '' };
  const unit = criterion.sampleUnit ? criterion.sampleUnit.replace(/\s*\(.*\)$/, '') : '';
  return { count: formatCount(criterion.sampleSize), detail: `${unit}${unit ? ' · ' : ''}min. ${formatCount(criterion.minSample)}` };
}

/** The counts behind a value: "105 / 107", "41 starts over 1,600 user-weeks", … */
export function formatEvidence(criterion: Pick<StageCriterion, 'measurement'>): string {
  const m = criterion.measurement;
  switch (m.kind) {
    case 'proportion':
      return `${formatCount(m.successes)} / ${formatCount(m.n)}`;
    case 'rate':
      return `${formatCount(m.events)} in ${formatCount(Math.round(m.exposure))}`;
    case 'rate_comparison':
      return `${formatCount(m.subject.events)} / ${formatCount(m.subject.exposure)} vs ${formatCount(m.reference.events)} / ${formatCount(m.reference.exposure)}`;
    case 'count':
      return `${formatCount(m.count)} among ${formatCount(m.sampleSize)}`;
    case 'duration':
      return m.days === null ? 'entry date unknown' : '';
  }
}

export interface IntervalMarks {
  /** The axis: [min, max] in the value's unit. */
  domain: [number, number];
  /** Fractions of the axis in [0, 1]; null when absent. */
  low: number | null;
  high: number | null;
  value: number | null;
  threshold: number;
  /** The interval has no upper limit (an unbounded ratio): the bar runs off the right edge. */
  openEnded: boolean;
}

/**
 * Where an interval bar's marks go. Proportions zoom onto the part of [0, 1] that holds the
 * threshold, the value and the interval (so 98.5 – 99.8 % against 95 % is readable), with a little
 * margin; rates, ratios, counts and days run from 0 to a bit beyond the largest mark.
 */
export function intervalMarks(criterion: Pick<StageCriterion, 'unit' | 'value' | 'ciLow' | 'ciHigh' | 'threshold'>): IntervalMarks {
  const { unit, value, ciLow, ciHigh, threshold } = criterion;
  const openEnded = ciLow !== null && ciHigh === null;
  const points = [threshold, value, ciLow, ciHigh].filter((point): point is number => point !== null && Number.isFinite(point));
  let domain: [number, number];
  if (unit === 'proportion') {
    const min = Math.min(...points);
    const max = Math.max(...points);
    const span = Math.max(max - min, 0.1);
    const lower = Math.max(0, min - span * 0.25);
    const upper = Math.min(1, max + span * 0.25);
    domain = [lower, Math.max(upper, lower + 0.01)];
  } else {
    const max = Math.max(...points, 0);
    domain = [0, max === 0 ? 1 : max * (openEnded ? 1.5 : 1.2)];
  }
  const at = (point: number | null) => (point === null ? null : Math.min(1, Math.max(0, (point - domain[0]) / (domain[1] - domain[0]))));
  return { domain, low: at(ciLow), high: openEnded ? 1 : at(ciHigh), value: at(value), threshold: at(threshold) ?? 0, openEnded };
}

export interface TrendDatum {
  /** The window's end date, YYYY-MM-DD. */
  label: string;
  /** null leaves a gap (nothing observed), never a fake zero. */
  value: number | null;
  status: CriterionStatusValue;
}

export function trendSeries(trend: readonly TrendPoint[]): TrendDatum[] {
  return trend.map((point) => ({ label: point.to.slice(0, 10), value: point.value, status: point.status }));
}

/** The stages a decision may name from the current stage (what the API accepts). */
export function decisionStages(action: DecisionAction, currentStage: number): number[] {
  switch (action) {
    case 'advance':
      return currentStage < 5 ? [currentStage + 1] : [];
    case 'hold':
      return [currentStage];
    case 'roll_back':
      return Array.from({ length: currentStage - 1 }, (_, index) => currentStage - 1 - index);
  }
}

/**
 * The decision log of a current evaluation with the decisions this page recorded since it loaded
 * (the POST's answers), newest first, each once: an evaluation measured before a decision — still
 * on its way when the decision was recorded — does not list it, and a new one takes seconds.
 */
export function withRecorded(log: readonly StageDecision[], recorded: readonly StageDecision[]): StageDecision[] {
  const known = new Set(log.map((decision) => decision.id));
  const missing = recorded.filter((decision) => !known.has(decision.id));
  if (missing.length === 0) return [...log];
  return [...missing, ...log].sort((a, b) => Date.parse(b.decidedAt) - Date.parse(a.decidedAt));
}
