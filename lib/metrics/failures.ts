/**
 * Failures (GET /api/v1/failures): failed and cancelled ceremonies grouped in Pareto order against the previous window, and the ceremonies of the selected group.
 */
import 'server-only';
import type { z } from 'zod';
import {
  MAX_GROUP_ROWS,
  type FailureDimension,
  type FailureGroup,
  type FailuresResponse,
  type zFailuresQuery,
} from '@/lib/contracts/failures';
import { previousWindow, windowEcho } from './windows';
import { runQuery } from '@/lib/query';
import { failedCeremonies, failedCeremoniesCount } from '@/sql/queries/failed-ceremonies';
import { failuresByGroup } from '@/sql/queries/failures-by-group';
import { windowFilterParams } from '@/sql/queries/shared';

export async function failuresResponse(query: z.output<typeof zFailuresQuery>): Promise<FailuresResponse> {
  const previous = previousWindow(query);
  const window = windowFilterParams(query, query);
  const bothPeriods = { ...window, from: previous.from, windowFrom: query.from };
  const selection = {
    ...window,
    reasons: query.reason,
    outcomes: query.outcome,
    types: query.type,
    surfaces: query.surface,
  };
  const page = { limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  const [rows, listed] = await Promise.all([
    runQuery(failuresByGroup(query.groupBy), { ...bothPeriods, limit: MAX_GROUP_ROWS + 1 }),
    runQuery(failedCeremonies, { ...selection, ...page }),
  ]);
  const totals = rows.find((row) => row.part === 'total');
  const groupRows = rows.filter((row) => row.part === 'group');
  // a page past the end has no row to carry the selection's size
  const total = listed[0]?.total ?? (page.offset > 0 ? await selectionSize(selection) : 0);
  const items = listed.map(({ total: _total, ...item }) => item);
  const ceremonies = totals?.ceremonies ?? 0;
  let cumulative = 0;
  const groups: FailureGroup[] = groupRows.slice(0, MAX_GROUP_ROWS).map((row) => {
    const share = ceremonies === 0 ? 0 : row.ceremonies / ceremonies;
    cumulative += row.ceremonies;
    const values: Partial<Record<FailureDimension, string>> = {};
    query.groupBy.forEach((dimension, i) => (values[dimension] = row.groupValues[i] ?? ''));
    return {
      values,
      ceremonies: row.ceremonies,
      failures: row.failures,
      cancellations: row.cancellations,
      share,
      cumulativeShare: ceremonies === 0 ? 0 : Math.min(1, cumulative / ceremonies),
      previousCeremonies: row.previousCeremonies,
      users: row.users,
    };
  });

  return {
    ...windowEcho(query, query),
    previous: { from: previous.from.toISOString(), to: previous.to.toISOString(), ceremonies: totals?.previousCeremonies ?? 0 },
    groupBy: query.groupBy,
    ceremonies,
    failures: totals?.failures ?? 0,
    cancellations: totals?.cancellations ?? 0,
    groups,
    truncated: groupRows.length > MAX_GROUP_ROWS,
    selection: { reason: query.reason, outcome: query.outcome, type: query.type, surface: query.surface },
    ceremonyList: { page: query.page, pageSize: query.pageSize, total, items },
  };
}

async function selectionSize(selection: z.input<typeof failedCeremoniesCount.params>): Promise<number> {
  const [row] = await runQuery(failedCeremoniesCount, selection);
  return row?.total ?? 0;
}
