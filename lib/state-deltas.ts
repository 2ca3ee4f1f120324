/**
 * The branches of a state-reading query that regroup what arrived since the last pass — the
 * ceremonies (CEREMONIES, sql/queries/shared.ts) or flows (JOURNEYS, journey-fragments.ts) with an
 * event received at or after the plan's watermark — are marked in its text. Planning them costs
 * 50–150 ms a query even when they find nothing (docs/performance.md, "Where a query's time goes"),
 * so lib/query.ts sends the query without them when no event received since the watermark lies
 * within their reach of the window: then they would regroup nothing, and the base and patch rows
 * they would have overridden are the answer.
 *
 * Exact as of the moment the new events were looked at (`newEventRange`), which is after the
 * request arrived: every event acknowledged before the request is either in the committed state or
 * found there. An event received later may then be missing from the answer, as it may be from any
 * answer computed while it arrives.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { FLOW_SPAN_HOURS } from './domain/journeys';
import { sql, type SqlFragment } from './sql';

export type DeltaKind = 'ceremony' | 'flow';

const HOUR_MS = 3_600_000;

/**
 * How far from the window the events a kind's delta branch regroups can lie: [hour of `from` −
 * before, `to` + after) — as the branches' own CTEs read them (`ceremony_delta_keys`, `flow_delta`).
 */
const REACH: Record<DeltaKind, { before: number; after: number }> = {
  ceremony: { before: HOUR_MS, after: 2 * HOUR_MS },
  flow: { before: FLOW_SPAN_HOURS * HOUR_MS, after: FLOW_SPAN_HOURS * HOUR_MS },
};

const MARKS: Record<DeltaKind, [SqlFragment, SqlFragment, RegExp]> = {
  ceremony: [sql`/*+ceremony-delta*/`, sql`/*-ceremony-delta*/`, /\/\*\+ceremony-delta\*\/[\s\S]*?\/\*-ceremony-delta\*\//g],
  flow: [sql`/*+flow-delta*/`, sql`/*-flow-delta*/`, /\/\*\+flow-delta\*\/[\s\S]*?\/\*-flow-delta\*\//g],
};

/** Marks a part of a query as belonging to `kind`'s delta branch (never nested in another of the same kind). */
export const deltaPart = (kind: DeltaKind, part: SqlFragment) => sql`${MARKS[kind][0]}${part}${MARKS[kind][1]}`;

/** Whether a query text has delta parts to leave out. */
export const hasDeltaParts = (text: string) => text.includes('-delta*/');

/** The received-since-the-watermark events' times: none, or the first and last timestamp (ms). */
export type NewEvents = { first: number; last: number } | null;

/**
 * The text without the delta parts of every kind no new event can reach: the window [from, to)
 * widened by the kind's reach does not meet [first, last] of the events received since the watermark.
 */
export function withoutSettledDeltas(text: string, recent: NewEvents, from: Date, to: Date): string {
  let out = text;
  for (const kind of Object.keys(REACH) as DeltaKind[]) {
    const lo = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS - REACH[kind].before;
    const hi = to.getTime() + REACH[kind].after;
    const reached = recent !== null && recent.last >= lo && recent.first < hi;
    if (!reached) out = out.replace(MARKS[kind][2], '');
  }
  return out;
}

const NEW_EVENTS_SQL = `SELECT count() AS n, toUnixTimestamp64Milli(min(timestamp)) AS first, toUnixTimestamp64Milli(max(timestamp)) AS last
  FROM ceremony_events WHERE received_at >= {stateWatermark:DateTime64(3, 'UTC')}`;

/**
 * The times of the events received at or after the plan's watermark, read with the query's own
 * bound parameters (`{stateWatermark}`, lib/ceremony-plan.ts) — looked at per read: any process
 * may be inserting.
 */
export async function newEventRange(client: ClickHouseClient, boundParams: Record<string, unknown>): Promise<NewEvents> {
  const result = await client.query({
    query: NEW_EVENTS_SQL,
    query_params: boundParams,
    format: 'JSONEachRow',
    clickhouse_settings: { log_comment: 'query:new-events' },
  });
  const [row] = await result.json<{ n: number | string; first: number | string; last: number | string }>();
  return row && Number(row.n) > 0 ? { first: Number(row.first), last: Number(row.last) } : null;
}
