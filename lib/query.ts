/**
 * Running a named query from sql/queries: parameters validated with the query's zod schema and
 * bound server-side ({name:Type} placeholders — never interpolated), the name sent as log_comment
 * so slow queries are attributable, every row validated with the query's row schema, and the read
 * bounded: `readonly`, `max_execution_time` and `max_memory_usage` (QUERY_MAX_EXECUTION_TIME,
 * QUERY_MAX_MEMORY_USAGE; docs/security.md "Query limits").
 */
import type { z } from 'zod';
import { ceremonyPlan, ceremonyPlanParams, readsCeremonyPlan, type CeremonyPlan } from './ceremony-plan';
import { storage } from './clickhouse';
import { env } from './env';
import { readLimits, withReadLimits, type ReadLimits } from './query-limits';
import { recordQuery } from './self-telemetry';
import { hasDeltaParts, newEventRange, withoutSettledDeltas } from './state-deltas';

export interface QueryDefinition<P extends z.ZodType, R extends z.ZodType> {
  /** kebab-case, the file name; reaches ClickHouse's log_comment. */
  name: string;
  params: P;
  row: R;
  sql: string;
}

export function defineQuery<P extends z.ZodType, R extends z.ZodType>(definition: QueryDefinition<P, R>): QueryDefinition<P, R> {
  return definition;
}

/**
 * Dates (alone or in a list) are bound as UTC text with milliseconds. Why: the embedded engine's
 * binder formats a JS Date itself and drops the milliseconds, so a window ending "now" would miss
 * the current second.
 */
export function bindable(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = Array.isArray(value) ? value.map(dateText) : dateText(value);
  }
  return out;
}

const dateText = (value: unknown) => (value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value);

const dateParam = (value: unknown) => (value instanceof Date ? value : undefined);

export interface RunQueryOptions {
  /** Overrides the configured limits for this read (tests; an evaluation that needs more room). */
  limits?: Partial<ReadLimits>;
  /** The ceremony read plan to bind instead of the cached one (tests of an older plan). */
  plan?: CeremonyPlan;
}

export async function runQuery<P extends z.ZodType, R extends z.ZodType>(
  query: QueryDefinition<P, R>,
  params: z.input<P>,
  options: RunQueryOptions = {},
): Promise<z.output<R>[]> {
  const parsed = query.params.parse(params) as Record<string, unknown>;
  const limits = { ...readLimits(), ...options.limits };
  const started = performance.now();
  const { client } = storage();
  let rows: unknown[];
  try {
    const plan = readsCeremonyPlan(query.sql) ? (options.plan ?? (await ceremonyPlan(client))) : undefined;
    const [from, to] = [dateParam(parsed.from), dateParam(parsed.to)];
    const bound = bindable(plan ? { ...parsed, ...ceremonyPlanParams(plan, from, to) } : parsed);
    // The parts that regroup what arrived since the last pass, left out when nothing new can reach
    // the window: most of such a query's planning (lib/state-deltas.ts).
    const text =
      plan && from && to && hasDeltaParts(query.sql)
        ? withoutSettledDeltas(query.sql, await newEventRange(client, bound), from, to)
        : query.sql;
    const result = await client.query({
      query: withReadLimits(text, limits, `query:${query.name}`),
      query_params: bound,
      format: 'JSONEachRow',
    });
    rows = await result.json<unknown>();
  } catch (error) {
    recordQuery(query.name, performance.now() - started, 'error');
    throw error;
  }
  const elapsed = performance.now() - started;
  recordQuery(query.name, elapsed, 'ok');
  if (env().LOG_QUERY_TIMES === '1') console.log(`[query] ${query.name} ${elapsed.toFixed(1)} ms, ${rows.length} rows`);
  return rows.map((row) => query.row.parse(row));
}
