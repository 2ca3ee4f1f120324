/**
 * Where a time chart marks its annotations (GET /api/v1/annotations): each annotation goes to the
 * bucket it falls in — the last bucket starting at or before it — and annotations sharing a bucket
 * share one mark. Buckets are the chart's x labels: a UTC day (`YYYY-MM-DD`) or an ISO instant; each
 * ends where the next starts, the last one at `lastEnd` (default: one step, the longest gap between starts,
 * or a day) — give it when the window cuts the last bucket (a week, or today up to now).
 */
import type { Annotation } from '@/lib/contracts/annotations';

export interface AnnotationMark {
  /** The bucket label the mark stands on (the chart's x value). */
  x: string;
  kind: Annotation['kind'] | 'mixed';
  /** Short text on the chart. */
  text: string;
  /** Every annotation of the bucket, one per line (the tooltip). */
  detail: string;
}

const startOf = (label: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(label) ? `${label}T00:00:00Z` : label);

export function annotationMarks(annotations: readonly Annotation[], labels: readonly string[], lastEnd?: number): AnnotationMark[] {
  const starts = labels.map(startOf);
  // the longest gap: the first bucket may be one the window cuts (a window from 13:12 has a first day of 10 h 48 min)
  const step = starts.slice(1).reduce((longest, start, i) => Math.max(longest, start - starts[i]!), starts.length > 1 ? 0 : 86_400_000);
  const endOf = (index: number) => (index + 1 < starts.length ? starts[index + 1]! : (lastEnd ?? starts[index]! + step));
  const byBucket = new Map<number, Annotation[]>();
  for (const annotation of annotations) {
    const at = Date.parse(annotation.at);
    let index = -1;
    for (let i = 0; i < starts.length && starts[i]! <= at; i++) index = i;
    // after the last bucket's end (or before the first): not on this chart
    if (index < 0 || at >= endOf(index)) continue;
    byBucket.set(index, [...(byBucket.get(index) ?? []), annotation]);
  }
  return [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, list]) => {
      const kinds = new Set(list.map((a) => a.kind));
      return {
        x: labels[index]!,
        kind: kinds.size === 1 ? list[0]!.kind : 'mixed',
        text: list.length === 1 ? list[0]!.label : `${list.length} events`,
        detail: list.map((a) => a.detail).join('\n'),
      };
    });
}
