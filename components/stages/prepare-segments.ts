/**
 * Pure preparation for the segment switch on the Stage gates page (GET /api/v1/stages?segment=…):
 * the one-line reading per transition — "Ready overall, failing on mobile-android" — and the
 * options. Unit-tested in tests/unit/stage-gates-segments.test.ts.
 */
import type { SegmentDimension, StageSegmentsResult } from '@/lib/contracts/stages';
import { VERDICT_LABEL } from './prepare';

export type SegmentChoice = SegmentDimension | 'none';

export const SEGMENT_OPTIONS: ReadonlyArray<{ value: SegmentChoice; label: string }> = [
  { value: 'none', label: 'Overall' },
  { value: 'deviceClass', label: 'Device class' },
  { value: 'os', label: 'OS' },
  { value: 'variant', label: 'Rollout variant' },
  { value: 'riskTier', label: 'Risk tier' },
];

export function parseSegment(value: string | null): SegmentDimension | null {
  return SEGMENT_OPTIONS.some((option) => option.value === value && value !== 'none') ? (value as SegmentDimension) : null;
}

/** "Ready overall, failing on mobile-android; inconclusive on desktop-linux" / "Not ready overall; no segment fails". */
export function segmentHeadline(summary: StageSegmentsResult['summaries'][number]): string {
  const overall = `${VERDICT_LABEL[summary.overall]} overall`;
  const parts: string[] = [];
  if (summary.failing.length > 0) parts.push(`failing on ${summary.failing.join(', ')}`);
  if (summary.inconclusive.length > 0) parts.push(`inconclusive on ${summary.inconclusive.join(', ')}`);
  return parts.length > 0 ? `${overall}, ${parts.join('; ')}` : `${overall}; no segment fails`;
}
