/**
 * Annotations for the time charts (docs/metrics.md, "Annotations"), in [from, to), oldest first:
 *   - `stage_decision`: every recorded stage decision (migration 0004);
 *   - `release`: the first event of each (service.name, service.version) — over its whole history,
 *     in the selected environments and services — when it falls in the window.
 * At most {limit} of each kind.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { ENVIRONMENT_PREDICATE } from './shared';

export const zAnnotationRow = z.object({
  kind: z.enum(['stage_decision', 'release']),
  atMs: z.number(),
  /** stage_decision: action; release: service name. */
  subject: z.string(),
  /** stage_decision: "from→to"; release: the version. */
  value: z.string(),
  /** stage_decision: actor; release: ''. */
  actor: z.string(),
  /** stage_decision: the reason; release: ''. */
  detail: z.string(),
});
export type AnnotationRow = z.infer<typeof zAnnotationRow>;

export const annotations = defineQuery({
  name: 'annotations',
  params: z.object({
    from: z.date(),
    to: z.date(),
    environments: z.array(z.string()),
    services: z.array(z.string()),
    limit: z.number().int().positive(),
  }),
  row: zAnnotationRow,
  sql: sql`
    SELECT * FROM (
      SELECT 'stage_decision' AS kind, toUnixTimestamp64Milli(decided_at) AS atMs, toString(action) AS subject,
             concat(toString(from_stage), '→', toString(to_stage)) AS value, actor, reason AS detail
      FROM stage_decisions
      WHERE decided_at >= {from:DateTime64(3, 'UTC')} AND decided_at < {to:DateTime64(3, 'UTC')}
      ORDER BY decided_at, id
      LIMIT {limit:UInt32}
      UNION ALL
      SELECT 'release' AS kind, toUnixTimestamp64Milli(first_seen) AS atMs, toString(service_name) AS subject,
             toString(service_version) AS value, '' AS actor, '' AS detail
      FROM (
        SELECT service_name, service_version, min(timestamp) AS first_seen
        FROM ceremony_events
        WHERE service_version != '' AND timestamp < {to:DateTime64(3, 'UTC')}
          AND ${ENVIRONMENT_PREDICATE}
          AND (empty({services:Array(String)}) OR has({services:Array(String)}, service_name))
        GROUP BY service_name, service_version
        HAVING first_seen >= {from:DateTime64(3, 'UTC')}
      )
      ORDER BY atMs, subject, value
      LIMIT {limit:UInt32}
    )
    ORDER BY atMs, kind, subject, value
  `.text,
});
