/**
 * GET /api/v1/annotations — what the time charts mark (docs/metrics.md, "Annotations"): stage
 * decisions and releases (the first event of a new service.version) in the window.
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zWindowEcho } from '@/lib/metrics/contract-parts';

/** `alert`: a spike rule fired — never sent by this endpoint; the Failures page adds them from GET /api/v1/alerts. */
export const ANNOTATION_KINDS = ['stage_decision', 'release', 'alert'] as const;
/** At most this many annotations of each kind per answer (the oldest first). */
export const MAX_ANNOTATIONS = 100;

export const zAnnotationsQuery = zFilterParams.and(zTimeRange);

export const zAnnotation = z.object({
  kind: z.enum(ANNOTATION_KINDS),
  at: z.iso.datetime(),
  /** One line for the chart, e.g. "advance 1→2" or "checkout-api 2.4.0". */
  label: z.string(),
  /** stage_decision: who decided and why; release: the service and version. */
  detail: z.string(),
});
export type Annotation = z.infer<typeof zAnnotation>;

export const zAnnotationsResponse = zWindowEcho.extend({
  /** Oldest first. */
  annotations: z.array(zAnnotation),
  /** True when a kind had more than MAX_ANNOTATIONS in the window (the oldest are kept). */
  truncated: z.boolean(),
});
export type AnnotationsResponse = z.infer<typeof zAnnotationsResponse>;
