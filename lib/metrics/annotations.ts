/** GET /api/v1/annotations: the rows of sql/queries/annotations.ts as chart annotations. */
import 'server-only';
import { MAX_ANNOTATIONS, type Annotation, type AnnotationsResponse } from '@/lib/contracts/annotations';
import type { Filters } from '@/lib/domain/filters';
import { runQuery } from '@/lib/query';
import { annotations, type AnnotationRow } from '@/sql/queries/annotations';
import { windowFilterParams } from '@/sql/queries/shared';
import { windowEcho, type TimeWindow } from './windows';

/** Pure: a row → an annotation with its chart label and detail. */
export function toAnnotation(row: AnnotationRow): Annotation {
  const at = new Date(row.atMs).toISOString();
  if (row.kind === 'release')
    return { kind: 'release', at, label: `${row.subject} ${row.value}`, detail: `first event of ${row.subject} ${row.value}` };
  const action = row.subject.replace('_', ' ');
  return {
    kind: 'stage_decision',
    at,
    label: `${action} ${row.value}`,
    detail: `${action} ${row.value} by ${row.actor}${row.detail ? `: ${row.detail}` : ''}`,
  };
}

export async function annotationsResponse(query: TimeWindow & Filters): Promise<AnnotationsResponse> {
  const { environments, services } = windowFilterParams(query, query);
  // one more than the cap of each kind, to know whether it was reached
  const rows = await runQuery(annotations, { from: query.from, to: query.to, environments, services, limit: MAX_ANNOTATIONS + 1 });
  const seen: Record<AnnotationRow['kind'], number> = { stage_decision: 0, release: 0 };
  const kept = rows.filter((row) => ++seen[row.kind] <= MAX_ANNOTATIONS);
  return { ...windowEcho(query, query), annotations: kept.map(toAnnotation), truncated: kept.length < rows.length };
}
