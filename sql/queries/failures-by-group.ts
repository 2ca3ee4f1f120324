/**
 * Failures explorer: failed and cancelled ceremonies (the CEREMONIES outcome — a cancel is not a
 * failure, and both are counted apart) grouped by up to three dimensions, in W and in the previous
 * period of equal length. The group-by columns come only from FAILURE_GROUP_COLUMNS through
 * `identifier`; the query is built per dimension list and keeps one name for log_comment.
 *
 * Parameters: CEREMONIES reads [from, to) with from = previousFrom; `windowFrom` splits W from the
 * previous period. One pass gives the groups (`part` 'group') and, first, the totals of both periods
 * over every group (`part` 'total', `groupValues` empty) — the previous period's total counts the
 * groups with no ceremony in W too, which are dropped from the group rows. `limit` caps the group
 * rows; the route asks for one more than it shows, to report truncation.
 */
import { z } from 'zod';
import type { FailureDimension } from '@/lib/domain/group-by';
import { defineQuery, type QueryDefinition } from '@/lib/query';
import { identifier, join, sql } from '@/lib/sql';
import { CEREMONIES, zWindowFilterParams } from './shared';

/** The allow-list: dimension key → column of the `ceremonies` CTE, as text. */
export const FAILURE_GROUP_COLUMNS: Readonly<Record<FailureDimension, string>> = {
  reason: 'reason',
  outcome: 'outcome',
  type: 'type',
  deviceClass: 'toString(device_class)',
  os: 'toString(os_name)',
  browser: 'toString(browser_name)',
  provider: 'toString(provider_name)',
  credentialKind: 'toString(credential_kind)',
  surface: 'toString(surface)',
  environment: 'toString(environment)',
  service: 'toString(service_name)',
  serviceVersion: 'toString(service_version)',
};

const count = z.number().int().nonnegative();

export const zFailureGroupRow = z.object({
  part: z.enum(['group', 'total']),
  groupValues: z.array(z.string()),
  ceremonies: count,
  failures: count,
  cancellations: count,
  previousCeremonies: count,
  users: count,
});
export type FailureGroupRow = z.infer<typeof zFailureGroupRow>;

export const zFailuresByGroupParams = zWindowFilterParams.extend({
  windowFrom: z.date(),
  limit: z.number().int().min(1).max(100_000),
});

export function failuresByGroup(
  dimensions: readonly FailureDimension[],
): QueryDefinition<typeof zFailuresByGroupParams, typeof zFailureGroupRow> {
  const columns = join(
    dimensions.map((dimension) => identifier(FAILURE_GROUP_COLUMNS, dimension)),
    ', ',
  );
  return defineQuery({
    name: 'failures-by-group',
    params: zFailuresByGroupParams,
    row: zFailureGroupRow,
    sql: sql`
      WITH ${CEREMONIES},
      failure_groups AS (
        SELECT
          if(grouping(groupValues) = 0, 'group', 'total') AS part,
          [${columns}] AS groupValues,
          countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')}) AS ceremonies,
          countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')} AND outcome = 'failure') AS failures,
          countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')} AND outcome = 'cancelled') AS cancellations,
          countIf(started_at < {windowFrom:DateTime64(3, 'UTC')}) AS previousCeremonies,
          uniqExactIf(user_id, started_at >= {windowFrom:DateTime64(3, 'UTC')} AND user_id != '') AS users
        FROM ceremonies
        WHERE outcome IN ('failure', 'cancelled')
        GROUP BY GROUPING SETS ((groupValues), ())
      )
      SELECT *
      FROM failure_groups
      WHERE part = 'total' OR ceremonies > 0
      ORDER BY part = 'group', ceremonies DESC, groupValues
      -- the totals row first, then the first groups (as many as the limit)
      LIMIT {limit:UInt32} + 1
    `.text,
  });
}
