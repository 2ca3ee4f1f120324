/**
 * An evaluation as a CSV export (GET /api/v1/stages?format=csv; docs/stage-gates.md "Exports"): one
 * row per transition and criterion of the overall evaluation, and with `segment` one more per segment
 * value. Numbers exactly as computed (no rounding); text cells neutralised for spreadsheets unless
 * `raw` (lib/metrics/csv.ts). Pure.
 */
import type { StageSegmentsResult, StageTransitionResult } from '@/lib/contracts/stages';
import { csvDocument, type CsvOptions } from '@/lib/metrics/csv';

export const STAGES_CSV_COLUMNS = [
  'evaluated_at',
  'config_version',
  'segment',
  'segment_value',
  'from_stage',
  'to_stage',
  'transition_verdict',
  'criterion_id',
  'metric',
  'comparator',
  'threshold',
  'min_sample',
  'window_from',
  'window_to',
  'value',
  'ci_low',
  'ci_high',
  'sample_size',
  'status',
  'applies',
  'device_class',
] as const;

const cell = (value: number | string | null | undefined): string | number => (value === null || value === undefined ? '' : value);

export function stagesCsv(
  input: {
    evaluatedAt: string;
    configVersion: number;
    transitions: readonly StageTransitionResult[];
    segments: StageSegmentsResult | null;
  },
  options: CsvOptions = {},
): { body: string; rows: number } {
  const rows: Array<Array<string | number>> = [];
  const specOf = new Map(
    input.transitions.flatMap((transition) => transition.criteria.map((criterion) => [`${transition.from}:${criterion.id}`, criterion])),
  );
  for (const transition of input.transitions) {
    for (const criterion of transition.criteria) {
      rows.push([
        input.evaluatedAt,
        input.configVersion,
        '',
        '',
        transition.from,
        transition.to,
        transition.verdict,
        criterion.id,
        criterion.metric,
        criterion.comparator,
        criterion.threshold,
        criterion.minSample,
        criterion.window.from,
        criterion.window.to,
        cell(criterion.value),
        cell(criterion.ciLow),
        cell(criterion.ciHigh),
        cell(criterion.sampleSize),
        criterion.status,
        'true',
        cell(criterion.deviceClass),
      ]);
    }
  }
  for (const segment of input.segments?.values ?? []) {
    for (const transition of segment.transitions) {
      for (const criterion of transition.criteria) {
        const spec = specOf.get(`${transition.from}:${criterion.id}`);
        rows.push([
          input.evaluatedAt,
          input.configVersion,
          input.segments?.dimension ?? '',
          segment.value,
          transition.from,
          transition.to,
          transition.verdict,
          criterion.id,
          cell(spec?.metric),
          cell(spec?.comparator),
          cell(spec?.threshold),
          cell(spec?.minSample),
          cell(spec?.window.from),
          cell(spec?.window.to),
          cell(criterion.value),
          cell(criterion.ciLow),
          cell(criterion.ciHigh),
          cell(criterion.sampleSize),
          criterion.status,
          String(criterion.applies),
          '',
        ]);
      }
    }
  }
  return { body: csvDocument(STAGES_CSV_COLUMNS, rows, options), rows: rows.length };
}
