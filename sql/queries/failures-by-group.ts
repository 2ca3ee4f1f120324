/**
 * Failures explorer: failed and cancelled ceremonies (the CEREMONIES outcome — a cancel is not a
 * failure, and both are counted apart) grouped by up to three dimensions, in W and in the previous
 * period of equal length. The group-by columns come only from FAILURE_GROUP_COLUMNS through
 * `identifier`; the query is built per dimension list and keeps one name for log_comment.
 *
 * Parameters: CEREMONIES reads [from, to) with from = previousFrom; `windowFrom` splits W from the
 * previous period. Groups with no ceremony in W are dropped; `failureTotals` counts both periods
 * over every group. The route asks for one row more than it shows, to report truncation.
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
          [${columns}] AS groupValues,
          countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')}) AS ceremonies,
          countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')} AND outcome = 'failure') AS failures,
          countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')} AND outcome = 'cancelled') AS cancellations,
          countIf(started_at < {windowFrom:DateTime64(3, 'UTC')}) AS previousCeremonies,
          uniqExactIf(user_id, started_at >= {windowFrom:DateTime64(3, 'UTC')} AND user_id != '') AS users
        FROM ceremonies
        WHERE outcome IN ('failure', 'cancelled')
        GROUP BY groupValues
      )
      SELECT *
      FROM failure_groups
      WHERE ceremonies > 0
      ORDER BY ceremonies DESC, groupValues
      LIMIT {limit:UInt32}
    `.text,
  });
}

/** Failed and cancelled ceremonies in W and in the previous period, over every group. */
export const failureTotals = defineQuery({
  name: 'failure-totals',
  params: zWindowFilterParams.extend({ windowFrom: z.date() }),
  row: z.object({ ceremonies: count, failures: count, cancellations: count, previousCeremonies: count }),
  sql: sql`
    WITH ${CEREMONIES}
    SELECT
      countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')}) AS ceremonies,
      countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')} AND outcome = 'failure') AS failures,
      countIf(started_at >= {windowFrom:DateTime64(3, 'UTC')} AND outcome = 'cancelled') AS cancellations,
      countIf(started_at < {windowFrom:DateTime64(3, 'UTC')}) AS previousCeremonies
    FROM ceremonies
    WHERE outcome IN ('failure', 'cancelled')
  `.text,
});
