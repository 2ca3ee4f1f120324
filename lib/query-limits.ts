/**
 * The limits every named read runs under (lib/query.ts): `readonly = 1`, `max_execution_time`
 * and `max_memory_usage`, from QUERY_MAX_EXECUTION_TIME and QUERY_MAX_MEMORY_USAGE
 * (docs/security.md "Query limits"). A read over them fails with TIMEOUT_EXCEEDED or
 * MEMORY_LIMIT_EXCEEDED, which the API answers 503 (lib/api/errors.ts).
 *
 * Why the limits travel in the query's own SETTINGS clause, not in `clickhouse_settings`: on the
 * embedded engine `clickhouse_settings` become session `SET`s (chdb/connection), and a read
 * session is shared with the ceremony state pass, stage decisions and DDL — a `SET readonly = 1`
 * would stay on that session (and `readonly` can never be lowered again once set), a `SET
 * max_execution_time` would bound the next state pass. A SETTINGS clause applies to its own
 * query's context only, on the embedded engine and on a server alike. Two engine settings every
 * read needs travel in the same clause: `enable_materialized_cte` and
 * `use_index_for_in_with_subqueries_max_values` (below).
 */
import { env, type Env } from './env';

/**
 * The largest `x IN (subquery)` set a read uses for index analysis. Without a bound ClickHouse
 * prepares every such set for the primary key and skip indexes, whatever its size: a set of 185,000
 * flow ids cost an upsell read 500 ms of its 650 (docs/performance.md, "Materialized CTEs switched
 * on, large IN sets bounded"). Sets of up to this many values (a window's hours, a user's
 * credentials) still narrow what is read.
 */
export const IN_SET_INDEX_MAX_VALUES = 10_000;

/** What one read may use. Every named query runs under these (QUERY_MAX_* in the environment). */
export interface ReadLimits {
  /** max_execution_time, seconds */
  maxExecutionTime: number;
  /** max_memory_usage, bytes */
  maxMemoryUsage: number;
  /** os_thread_priority (the nice value): 0 = the default priority, 19 = the lowest */
  nice: number;
}

export function readLimits(e: Env = env()): ReadLimits {
  return { maxExecutionTime: e.QUERY_MAX_EXECUTION_TIME, maxMemoryUsage: e.QUERY_MAX_MEMORY_USAGE, nice: e.QUERY_NICE };
}

/**
 * The query with its limits (and its log_comment) as a trailing SETTINGS clause, on a line of its
 * own so that a trailing `--` comment cannot swallow it. `readonly = 1`: the read cannot write
 * (INSERT, DDL, file() and other writing table functions are refused with READONLY). It is a
 * guard for our own SQL, not a sandbox for foreign SQL: ClickHouse 26.7's analyzer applies a
 * subquery's own SETTINGS without checking them against `readonly`. Named queries have no
 * SETTINGS of their own and take every value as a bound parameter.
 */
export function withReadLimits(sql: string, limits: ReadLimits, logComment?: string): string {
  const seconds = Math.round(limits.maxExecutionTime * 1000) / 1000;
  const bytes = Math.round(limits.maxMemoryUsage);
  // 0 would mean "unlimited" to ClickHouse: refuse it rather than silently lift the limit.
  if (!(seconds > 0)) throw new Error(`max_execution_time must be at least 0.001 s (got ${limits.maxExecutionTime})`);
  if (!(bytes > 0)) throw new Error(`max_memory_usage must be at least 1 byte (got ${limits.maxMemoryUsage})`);
  // A GROUP BY or ORDER BY that outgrows half the limit spills to disk instead of failing the read.
  const spill = Math.floor(bytes / 2);
  const settings = [
    `readonly = 1`,
    `max_execution_time = ${seconds}`,
    `max_memory_usage = ${bytes}`,
    `max_bytes_before_external_group_by = ${spill}`,
    `max_bytes_before_external_sort = ${spill}`,
    `use_index_for_in_with_subqueries_max_values = ${IN_SET_INDEX_MAX_VALUES}`,
    // `WITH name AS MATERIALIZED (…)` computes the CTE once for all its references only with this
    // (experimental in ClickHouse 26.7); without it the keyword is ignored and every reference
    // computes the CTE again (docs/performance.md, "Materialized CTEs switched on, large IN sets
    // bounded").
    `enable_materialized_cte = 1`,
  ];
  // Lower priority for the read's threads (the engine resets them when the read ends); a server
  // without CAP_SYS_NICE ignores it. The setting's older name, which every version knows (newer
  // ones call it os_threads_nice_value_query).
  if (limits.nice > 0) settings.push(`os_thread_priority = ${Math.min(19, Math.trunc(limits.nice))}`);
  if (logComment !== undefined) settings.push(`log_comment = '${logComment.replace(/[\\']/g, (c) => `\\${c}`)}'`);
  return `${sql.replace(/[\s;]+$/, '')}\nSETTINGS ${settings.join(', ')}`;
}
