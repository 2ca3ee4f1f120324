/**
 * The statements of the ceremony and flow state pass (lib/ceremony-states.ts), apart from the pass's
 * bookkeeping: what arrived since the last watermark, a patch, a base and a fold of each state, and
 * the hours a patch wrote. Their rules are the pass's (sql/README.md, "Ceremony state", "Flow state").
 */
import { FLOW_COLUMNS, FLOW_ROLLUP_COLUMNS, flowReceivedBound, groupFlows, JOURNEY_EVENT } from '@/sql/queries/journey-fragments';
import { CEREMONY_COLUMNS, CEREMONY_EVENT, CEREMONY_KEY, groupCeremonies, receivedBound } from '@/sql/queries/shared';
import { versionPairs } from './ceremony-plan';
import { sql, type SqlFragment } from './sql';

export const NEW_EVENT_HOURS_SQL = sql`
  SELECT toUnixTimestamp(toStartOfHour(timestamp)) * 1000 AS hour_ms, count() AS events
  FROM ceremony_events
  WHERE ${JOURNEY_EVENT} AND received_at >= {since:DateTime64(3, 'UTC')}
  GROUP BY hour_ms
  ORDER BY hour_ms`.text;

/** A ceremony's events lie within an hour of each other: the hours around the new events hold all of theirs. */
const FRAME = sql`timestamp >= {frameFrom:DateTime64(3, 'UTC')} AND timestamp < {frameTo:DateTime64(3, 'UTC')}
      AND has({frameHours:Array(DateTime('UTC'))}, toStartOfHour(timestamp))`;

const DIRTY_KEYS = sql`SELECT ${CEREMONY_KEY} FROM ceremony_events WHERE ${CEREMONY_EVENT} AND received_at >= {since:DateTime64(3, 'UTC')}`;

export const INSERT_PATCH_SQL = sql`
  INSERT INTO ceremony_states (hour, version, ${CEREMONY_COLUMNS})
  SELECT toStartOfHour(started_at) AS hour, {version:UInt64} AS version, ${CEREMONY_COLUMNS}
  FROM (${groupCeremonies(sql`${FRAME}
      AND ${CEREMONY_KEY} IN (${DIRTY_KEYS})
      AND received_at >= ${receivedBound(DIRTY_KEYS, sql`SELECT arrayJoin({frameHours:Array(DateTime('UTC'))})`, sql`{since:DateTime64(3, 'UTC')}`)}`)})`
  .text;

/**
 * The flows with an event received since the previous watermark, regrouped from all their events
 * (read from a span either side of the new ones, received since the flow's first receipt).
 */
const DIRTY_FLOWS = sql`SELECT flow_id FROM ceremony_events WHERE flow_id != '' AND ${JOURNEY_EVENT} AND received_at >= {since:DateTime64(3, 'UTC')}`;
const FLOW_FRAME = sql`timestamp >= {flowFrom:DateTime64(3, 'UTC')} AND timestamp < {flowTo:DateTime64(3, 'UTC')}`;

export const INSERT_FLOW_PATCH_SQL = sql`
  INSERT INTO flow_states (hour, version, ${FLOW_COLUMNS})
  SELECT toStartOfHour(started_at) AS hour, {version:UInt64} AS version, ${FLOW_COLUMNS}
  FROM (${groupFlows(sql`${FLOW_FRAME}
      AND flow_id IN (${DIRTY_FLOWS})
      AND received_at >= ${flowReceivedBound(DIRTY_FLOWS, sql`hour >= toStartOfHour({flowFrom:DateTime64(3, 'UTC')}) - INTERVAL 1 HOUR AND hour < {flowTo:DateTime64(3, 'UTC')}`, sql`{since:DateTime64(3, 'UTC')}`)}`)})`
  .text;

/** The hours a patch wrote rows in, of either state. */
export const PATCHED_HOURS_SQL = `SELECT toUnixTimestamp(hour) * 1000 AS hour_ms, countIf(state = 'ceremony') AS ceremonies, countIf(state = 'flow') AS flows
  FROM (
    SELECT hour, 'ceremony' AS state FROM ceremony_states
    WHERE hour >= toStartOfHour({frameFrom:DateTime64(3, 'UTC')}) AND hour < {frameTo:DateTime64(3, 'UTC')} AND version = {version:UInt64}
    UNION ALL
    SELECT hour, 'flow' AS state FROM flow_states
    WHERE hour >= toStartOfHour({flowFrom:DateTime64(3, 'UTC')}) - INTERVAL 1 HOUR AND hour < {flowTo:DateTime64(3, 'UTC')} AND version = {version:UInt64})
  GROUP BY hour_ms`;

export const INSERT_BASE_SQL = sql`
  INSERT INTO ceremony_states (hour, version, ${CEREMONY_COLUMNS})
  SELECT toStartOfHour(started_at) AS hour, {version:UInt64} AS version, ${CEREMONY_COLUMNS}
  FROM (${groupCeremonies(FRAME)})
  WHERE has({hours:Array(DateTime('UTC'))}, toStartOfHour(started_at))`.text;

export const INSERT_FLOW_BASE_SQL = sql`
  INSERT INTO flow_states (hour, version, ${FLOW_COLUMNS})
  SELECT toStartOfHour(started_at) AS hour, {version:UInt64} AS version, ${FLOW_COLUMNS}
  FROM (${groupFlows(FLOW_FRAME)})
  WHERE has({hours:Array(DateTime('UTC'))}, toStartOfHour(started_at))`.text;

/** Hours with valid patches: their rows and their base's rows, of each state, and when the last patch came. */
export const PATCHED_SQL = `
  WITH
    bases AS (SELECT hour, max(version) AS base FROM ceremony_state_commits WHERE kind = 'base' AND hour > toDateTime(0, 'UTC') GROUP BY hour),
    patched AS (
      SELECT c.hour AS hour, any(b.base) AS base, toUnixTimestamp64Milli(max(c.computed_at)) AS last_patch
      FROM ceremony_state_commits AS c LEFT JOIN bases AS b ON b.hour = c.hour
      WHERE c.kind = 'patch' AND c.hour > toDateTime(0, 'UTC') AND c.version > b.base
      GROUP BY c.hour)
  SELECT toUnixTimestamp(p.hour) * 1000 AS hour_ms, any(p.last_patch) AS last_patch,
    countIf(NOT s.flow AND s.version = p.base) AS base_rows, countIf(NOT s.flow AND s.version > p.base) AS patch_rows,
    countIf(s.flow AND s.version = p.base) AS flow_base_rows, countIf(s.flow AND s.version > p.base) AS flow_patch_rows
  FROM (
    SELECT hour, version, false AS flow FROM ceremony_states WHERE hour IN (SELECT hour FROM patched)
    UNION ALL
    SELECT hour, version, true AS flow FROM flow_states WHERE hour IN (SELECT hour FROM patched)) AS s
  INNER JOIN patched AS p ON p.hour = s.hour
  GROUP BY p.hour`;

/**
 * The moved ceremonies (or flows) of a state: those whose valid rows — a valid patch, and the base
 * rows of the hours around it — lie in more than one hour, each with the hours of its valid rows and
 * the hour of its newest. Only a patch moves one (a base holds each once), so only patched keys are
 * looked at, within `lo`/`hi` (the valid patches' hours and a move either side).
 */
const moversSql = (table: SqlFragment, key: SqlFragment) =>
  sql`
  SELECT ${key} AS key, groupUniqArray(toUnixTimestamp(hour) * 1000) AS hours, toUnixTimestamp(argMax(hour, version)) * 1000 AS newest
  FROM ${table}
  WHERE hour >= {lo:DateTime64(3, 'UTC')} AND hour < {hi:DateTime64(3, 'UTC')}
    AND ((hour, version) IN ${versionPairs('patches')}
      OR ((hour, version) IN ${versionPairs('bases')}
        AND ${key} IN (SELECT ${key} FROM ${table} WHERE (hour, version) IN ${versionPairs('patches')})))
  GROUP BY key
  HAVING length(hours) > 1`.text;

export const MOVED_CEREMONIES_SQL = moversSql(sql`ceremony_states`, sql`ceremony_key`);
export const MOVED_FLOWS_SQL = moversSql(sql`flow_states`, sql`flow_id`);

/**
 * A fold: the hours' new base from the committed state alone — for every ceremony (or flow) with a
 * row in the hours, its newest valid row (base or valid patch), kept when it lies in the hours. One
 * moved out of an hour by a patch is dropped from it; one moved in is taken from its patch. Only
 * the hours' rows and the moved keys' rows around them (`movers`; every row around them when
 * `allRows`) are read: a key that never moved has all its rows in one hour. No raw event is read.
 * `table`, `key` and `columns` name the state.
 */
const foldSql = (table: SqlFragment, key: SqlFragment, columns: SqlFragment) =>
  sql`
  INSERT INTO ${table} (hour, version, ${columns})
  WITH
    bases AS (
      SELECT hour, max(version) AS base FROM ceremony_state_commits
      WHERE kind = 'base' AND hour >= {lo:DateTime64(3, 'UTC')} AND hour < {hi:DateTime64(3, 'UTC')}
      GROUP BY hour),
    valid AS (
      SELECT c.hour AS hour, c.version AS version
      FROM ceremony_state_commits AS c LEFT JOIN bases AS b ON b.hour = c.hour
      WHERE c.hour >= {lo:DateTime64(3, 'UTC')} AND c.hour < {hi:DateTime64(3, 'UTC')}
        AND ((c.kind = 'base' AND c.version = b.base) OR (c.kind = 'patch' AND c.version > b.base)))
  SELECT hour, {version:UInt64} AS version, ${columns}
  FROM (
    SELECT hour, version, ${columns}
    FROM ${table}
    WHERE hour >= {lo:DateTime64(3, 'UTC')} AND hour < {hi:DateTime64(3, 'UTC')}
      AND (hour, version) IN (SELECT hour, version FROM valid)
      AND ({allRows:Bool} OR has({hours:Array(DateTime('UTC'))}, hour) OR ${key} IN {movers:Array(String)})
    ORDER BY version DESC
    LIMIT 1 BY ${key})
  WHERE has({hours:Array(DateTime('UTC'))}, hour)`.text;

export const FOLD_SQL = foldSql(sql`ceremony_states`, sql`ceremony_key`, CEREMONY_COLUMNS);
export const FOLD_FLOWS_SQL = foldSql(sql`flow_states`, sql`flow_id`, FLOW_COLUMNS);

/**
 * The rollups of the flow state's rows of `version` in `hours` (migration 0015): one row per
 * distinct kind, path, end state, method and filter dimensions, with the flows and all their
 * durations. Written for every base, before the pass commits it (sql/README.md, "Flow rollups").
 */
export const INSERT_FLOW_ROLLUPS_SQL = sql`
  INSERT INTO flow_rollups (hour, version, ${FLOW_ROLLUP_COLUMNS}, flows, durations)
  SELECT hour, version, kind, steps, terminal, method, device_class, os_name, os_version, browser_name, browser_version,
    risk_tier, environment, service_name, service_version, credential_id != '' AS credential, credential_kind, provider_name,
    count() AS flows, groupArray(duration_ms) AS durations
  FROM flow_states
  WHERE version = {version:UInt64} AND has({hours:Array(DateTime('UTC'))}, hour)
  GROUP BY ALL`.text;
