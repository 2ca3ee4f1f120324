/**
 * Journeys (docs/metrics.md, "Journeys"): one row per `auth.flow.id` of one kind whose first step
 * falls in the window — its path of named states, its end state and its duration. Fragment shared by
 * journeys.ts (paths, links, time to sign in) and journey-flows.ts (the flows behind a link); the
 * kind is a bound parameter. Kept as data arrives: one row per flow in `flow_states` (migration 0014),
 * and the settled hours rolled up in `flow_rollups` (migration 0015; JOURNEY_ROLLUPS below).
 *
 * How a flow becomes a path, in order:
 *   1. Its events: prompts, server verifications, fallbacks, recovery stages and sign-ins carrying
 *      the flow id. Background autofill prompts nobody used (mediation `conditional` ended
 *      abandoned / superseded / no_response) are left out, as they are from ceremonies.
 *   2. Ordered by time — a prompt's is when it opened (sent when it settles, minus its
 *      `passkey.prompt.duration_ms`) — ties: prompt, verification, fallback, recovery, sign-in. A flow's
 *      events lie within FLOW_SPAN_HOURS of its first; of them, the kind is read from all, the path
 *      from those within the kind's timeout (JOURNEY_TIMEOUT_MINUTES) of the first.
 *   3. The terminal event is the kind's first success (a successful sign-in, passkey registration or
 *      completed recovery), else its last terminal event (a failed / abandoned sign-in, a failed /
 *      abandoned recovery); the events after it are dropped.
 *   4. Each event before it is a state (STEP below); consecutive equal states collapse into one.
 *   5. The path is [entry, …states, end state]. Without a terminal event the flow is `in_progress`
 *      while its timeout has not passed (`now`), else `abandoned` — or `failed` for a registration
 *      whose last state was an error or a rejected verification.
 * Filters apply to the flow as a whole: its device class, OS, browser, risk tier, environment,
 * service and versions are its first event's, its credential the last one it names; a variant
 * keeps it when one of its events carries the variant or its user was exposed to it.
 */
import { z } from 'zod';
import { FLOW_SPAN_HOURS, JOURNEY_KINDS, JOURNEY_TIMEOUT_MINUTES, type JourneyKind } from '@/lib/domain/journeys';
import { identifier, sql, type SqlFragment } from '@/lib/sql';
import { versionPairs } from '@/lib/ceremony-plan';
import { deltaPart } from '@/lib/state-deltas';
import {
  CREDENTIAL_FILTER_PREDICATE,
  credentialFilterPredicate,
  DIMENSION_FILTER_PREDICATE,
  EXPOSED_USERS,
  firstReceiptBound,
  zWindowFilterParams,
  type WindowFilterParams,
} from './shared';

export const zJourneyParams = zWindowFilterParams.extend({ kind: z.enum(JOURNEY_KINDS), timeoutSeconds: z.number().int().positive() });
export type JourneyParams = z.infer<typeof zJourneyParams>;

/** The bound parameters of a journey question: the window, the filters, the kind and its timeout. */
export function journeyParams(window: WindowFilterParams, kind: JourneyKind): JourneyParams {
  return { ...window, kind, timeoutSeconds: JOURNEY_TIMEOUT_MINUTES[kind] * 60 };
}

const TIMEOUT = sql`toIntervalSecond({timeoutSeconds:UInt32})`;
const CANCEL_REASONS = sql`('user_cancelled_or_timed_out', 'aborted_by_browser', 'aborted_by_rp')`;

/**
 * The state an event stands for ('' = none: a recovery's start, which the entry names). A
 * successful sign-in names its method instead: it is always the terminal event, whose own state is
 * never part of the path, and the time to sign in reads the method from it.
 */
const STEP = sql`multiIf(
      event_name = 'passkey.prompt', concat(if(mediation = 'conditional', 'autofill', 'prompt'), '_', multiIf(
        prompt_outcome = 'success', 'ok',
        prompt_outcome = 'error' AND client_failure_reason NOT IN ${CANCEL_REASONS}, 'error',
        'cancelled')),
      event_name IN ('passkey.authentication', 'passkey.registration'), if(result = 'success', 'verified', 'rejected'),
      event_name = 'auth.fallback', concat('fallback_', if(auth_method = '', 'other', auth_method)),
      event_name = 'account.recovery', if(recovery_stage = 'started', '', concat('recovery_', recovery_stage)),
      -- a successful sign-in is always its flow's terminal event, never a state: it carries its method
      result = 'success', toString(auth_method),
      concat('sign_in_', if(result = '', 'unknown', result)))`;

/** The end state an event gives its flow when it is the terminal one, as a code (TERMINAL_STATES[code − 1]); 0 = not terminal. */
const TERMINAL = sql`multiIf(
      event_name = 'auth.sign_in' AND result = 'success', if(auth_method = 'passkey', 1, 2),
      event_name = 'auth.sign_in' AND result IN ('failure', 'locked_out'), 3,
      event_name = 'auth.sign_in', 4,
      event_name = 'passkey.registration' AND result = 'success', 1,
      event_name = 'account.recovery' AND recovery_stage = 'completed',
        if(recovery_method IN ('other_bound_authenticator', 'hardware_key'), 1, 2),
      event_name = 'account.recovery' AND recovery_stage = 'failed', 3,
      event_name = 'account.recovery' AND recovery_stage != 'started', 4,
      0)`;
const TERMINAL_STATES = sql`['passkey_success', 'fallback_success', 'failed', 'abandoned']`;

/** Which kind's terminal an event is (sign-ins end sign-in flows, and so on), as an index into JOURNEY_KINDS (1-based); 0 = none. */
const TERMINAL_KIND = sql`multiIf(
      event_name = 'auth.sign_in', 1,
      event_name = 'passkey.registration' AND result = 'success', 2,
      event_name = 'account.recovery' AND recovery_stage != 'started', 3,
      0)`;
/** The events a journey is made of: background autofill prompts nobody used are not among them. */
export const JOURNEY_EVENT = sql`event_name IN ('passkey.prompt', 'passkey.registration', 'passkey.authentication', 'auth.fallback', 'auth.sign_in', 'account.recovery')
      AND NOT (event_name = 'passkey.prompt' AND mediation = 'conditional' AND prompt_outcome IN ('abandoned', 'superseded', 'no_response'))`;

export { FLOW_SPAN_HOURS };
/** FLOW_SPAN_HOURS as an interval: the domain's constant, as SQL text. */
const SPAN = identifier({ span: `INTERVAL ${FLOW_SPAN_HOURS} HOUR` }, 'span');

/** Each kind's timeout in milliseconds, indexed by KIND_CODE: the domain's constants, as SQL text. */
const TIMEOUTS_MS = identifier({ all: `[${JOURNEY_KINDS.map((kind) => JOURNEY_TIMEOUT_MINUTES[kind] * 60_000).join(', ')}]` }, 'all');

/** The columns of a flow, in the order of the flow_states table (after hour and version). */
export const FLOW_COLUMNS = sql`flow_id, kind, started_at, user_id, users, device_class, os_name, os_version, browser_name,
  browser_version, risk_tier, environment, service_name, service_version, variants, credential_id, credential_kind,
  provider_name, steps, terminal, method, duration_ms, first_received_at`;

/**
 * One row per flow from the journey events matching `events` (docs/metrics.md, "Journeys"): its
 * kind, start, path without its end state (`steps`: the entry and the collapsed states), its
 * terminal end state (a code into TERMINAL_STATES; 0 = none, which the reader turns into
 * in_progress, abandoned or failed against `now`), the method a sign-in succeeded with, its
 * duration, and what the filters read — the first event's dimensions, every user and rollout
 * variant its events carry, the last credential it names. Used by the state pass
 * (lib/ceremony-states.ts) and by readers for the flows the pass has not seen yet, so both judge a
 * flow the same way. `events` must take in every event of its flows: a flow's events lie within
 * FLOW_SPAN_HOURS of its first.
 *
 * Each event is carried as a compact (order, state, terminal) tuple sorted by time, and the flow
 * reads its path from the sorted array (docs/performance.md, "Journeys from one sorted array").
 */
export const groupFlows = (events: SqlFragment) => sql`
  SELECT
    flow_id, kind, started_at, user_id, users, dims.1 AS device_class, dims.2 AS os_name, dims.3 AS os_version,
    dims.4 AS browser_name, dims.5 AS browser_version, dims.6 AS risk_tier, dims.7 AS environment,
    dims.8 AS service_name, dims.9 AS service_version, variants, credential.1 AS credential_id,
    credential.2 AS credential_kind, credential.3 AS provider_name,
    multiIf(
      kind = 'sign_in', multiIf(
        startsWith(raw_steps[1], 'autofill_'), 'autofill',
        startsWith(raw_steps[1], 'prompt_') OR raw_steps[1] IN ('verified', 'rejected'), 'passkey_button',
        'password_form'),
      kind = 'registration', multiIf(
        first_surface = 'post_sign_in_upsell', 'upsell',
        first_surface = 'recovery', 'after_recovery',
        first_surface IN ('signup', 'account_settings'), first_surface,
        'other_surface'),
      concat('recovery_', if(recovery_method = '', 'unknown', recovery_method))) AS entry,
    arrayConcat([entry], arrayFilter((s, i) -> i = 1 OR s != raw_steps[i - 1], raw_steps, arrayEnumerate(raw_steps))) AS steps,
    toUInt8(if(terminal_at > 0, last_event.3 % 8, 0)) AS terminal,
    if(kind = 'sign_in' AND terminal IN (1, 2), last_event.2, '') AS method,
    toUInt64(intDiv(last_event.1, 8) - toUnixTimestamp64Milli(started_at)) AS duration_ms,
    first_received_at
  -- One step per level: an alias used twice in one level is analysed twice, and these chains made
  -- the analysis alone cost 100 ms a query (docs/performance.md, "Flow state").
  FROM (
  SELECT *,
    arrayFilter(s -> s != '', arrayMap(e -> e.2, if(terminal_at > 0, arraySlice(timely, 1, terminal_at - 1), timely))) AS raw_steps,
    -- the terminal event, or without one the last event within the timeout
    if(terminal_at > 0, timely[terminal_at], timely[-1]) AS last_event
  FROM (
  SELECT *, if(first_success > 0, first_success, arrayLastIndex(e -> intDiv(e.3, 8) = kind_code, timely)) AS terminal_at
  FROM (
  -- a terminal of this kind: its code's high bits are the kind, its low bits the end state
  SELECT *, arrayFirstIndex(e -> intDiv(e.3, 8) = kind_code AND e.3 % 8 IN (1, 2), timely) AS first_success
  FROM (
  SELECT *, arrayFilter(e -> e.1 <= (toUnixTimestamp64Milli(started_at) + ${TIMEOUTS_MS}[kind_code]) * 8 + 7, sorted) AS timely
  FROM (
    SELECT
      ev_flow AS flow_id,
      -- the highest kind any event points to: recovery over registration over sign-in
      max(ev_kind) AS kind_code,
      ['sign_in', 'registration', 'recovery'][kind_code] AS kind,
      arraySort(e -> e.1, groupArray(step)) AS sorted,
      fromUnixTimestamp64Milli(intDiv(sorted[1].1, 8), 'UTC') AS started_at,
      argMinIf(ev_user, ts, ev_user != '') AS user_id,
      groupUniqArray(ev_user) AS users,
      argMin(ev_dims, step.1) AS dims,
      groupUniqArrayIf(ev_variant, ev_variant != '') AS variants,
      argMaxIf(ev_credential, step.1, ev_credential.1 != '') AS credential,
      argMinIf(ev_surface, ts, ev_surface != '') AS first_surface,
      argMinIf(ev_recovery_method, ts, ev = 'account.recovery') AS recovery_method,
      min(ev_received) AS first_received_at
    FROM (
      SELECT
        flow_id AS ev_flow, event_name AS ev,
        -- the SDK sends a prompt when it settles: its step began when it opened
        if(event_name = 'passkey.prompt' AND prompt_duration_ms IS NOT NULL,
           timestamp - toIntervalMillisecond(toInt64(greatest(0, assumeNotNull(prompt_duration_ms)))), timestamp) AS ts,
        -- (order, state, terminal): ties go prompt, verification, fallback, recovery, sign-in
        (toUnixTimestamp64Milli(ts) * 8
           + multiIf(event_name = 'passkey.prompt', 1, event_name IN ('passkey.authentication', 'passkey.registration'), 2,
                     event_name = 'auth.fallback', 3, event_name = 'account.recovery', 4, 5),
         ${STEP}, toUInt8(${TERMINAL_KIND} * 8 + ${TERMINAL})) AS step,
        user_id AS ev_user, surface AS ev_surface, recovery_method AS ev_recovery_method, rollout_variant AS ev_variant,
        (device_class, os_name, os_version, browser_name, browser_version, risk_tier, environment, service_name, service_version) AS ev_dims,
        (credential_id, credential_kind, provider_name) AS ev_credential,
        received_at AS ev_received,
        toUInt8(multiIf(
          event_name = 'account.recovery', 3,
          event_name = 'passkey.registration' OR ceremony_type = 'registration', 2,
          event_name IN ('auth.sign_in', 'auth.fallback') OR surface IN ('login_page', 'login_autofill'), 1,
          0)) AS ev_kind
      FROM ceremony_events
      WHERE flow_id != '' AND ${JOURNEY_EVENT} AND ${events}
    )
    GROUP BY ev_flow
    HAVING kind_code > 0
  )))))`;

/** A flow row's variant filter: one of its events carries a variant asked for, or one of its users was exposed to it. */
const FLOW_VARIANT_PREDICATE = sql`(empty({variants:Array(String)})
       OR hasAny({variants:Array(String)}, variants)
       OR arrayExists(u -> u IN (${EXPOSED_USERS}), users))`;

/**
 * The earliest `received_at` an event of the flows `keys` (a subquery of flow ids) can have: the
 * first receipt recorded in any state row of theirs within `range`, else `fallback` (a flow no pass
 * has seen has no event before the watermark), less 60 s for the clock — so regrouping them reads
 * only recent events (the received_at index skips the rest).
 */
export const flowReceivedBound = (keys: SqlFragment, range: SqlFragment, fallback: SqlFragment) =>
  firstReceiptBound(sql`flow_states`, sql`flow_id`, range, keys, fallback);

/** The hours whose state rows a flow starting in [from, to) can have, old or new: a span either side. */
const STATE_HOURS = sql`hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) - ${SPAN} - INTERVAL 1 HOUR AND hour < {to:DateTime64(3, 'UTC')} + ${SPAN}`;
const STARTS_IN_WINDOW = sql`started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')} AND kind = {kind:String}`;

/**
 * The new flows' count and first and last hour, in one scalar subquery: every use names the same
 * one, which the query computes once (each distinct scalar subquery costs about 10 ms on the
 * embedded engine, docs/performance.md "Flow state").
 */
const DELTA = sql`(SELECT (count(), min(hour), max(hour)) FROM flow_delta)`;

/** How far a flow's rows, and its events, can lie from each other's hours: a span and an hour. */
const REACH = sql`INTERVAL 26 HOUR`;

/**
 * Whether the flows starting in `hour` are read from their rollups (migration 0015) rather than
 * flow by flow: the hour lies wholly in the window, every flow of it is past its timeout (none is
 * in progress), no valid patch and no event received since the watermark lies within reach of it
 * (so no flow of its base was rewritten since), and no rollout variant is asked for (a variant
 * filter reads each flow's users). Both sides of a journey question use this one predicate, so
 * every flow is counted once: from its hour's rollup when it holds, from its row otherwise.
 */
const rolledUp = (hour: SqlFragment) => sql`(empty({variants:Array(String)})
      AND ${hour} >= {from:DateTime64(3, 'UTC')} AND ${hour} + INTERVAL 1 HOUR <= {to:DateTime64(3, 'UTC')}
      AND ${hour} + INTERVAL 1 HOUR + ${TIMEOUT} <= now64(3)
      AND NOT arrayExists(p -> ${hour} >= p.1 - ${REACH} AND ${hour} <= p.1 + ${REACH}, ${versionPairs('flowStatePatches')})
      ${deltaPart('flow', sql`AND (${DELTA}.1 = 0 OR ${hour} < ${DELTA}.2 - ${REACH} OR ${hour} > ${DELTA}.3 + ${REACH})`)})`;

/** A flow's (or a rollup row's) end state: its terminal one, else in progress while `inProgress`, else failed or abandoned. */
const endState = (inProgress: SqlFragment) => sql`multiIf(
        terminal > 0, ${TERMINAL_STATES}[terminal],
        ${inProgress}, 'in_progress',
        kind = 'registration' AND steps[-1] IN ('prompt_error', 'autofill_error', 'rejected'), 'failed',
        'abandoned')`;

/** The columns of a flow rollup row before its flows and durations, in the order of the flow_rollups table (after hour and version). */
export const FLOW_ROLLUP_COLUMNS = sql`kind, steps, terminal, method, device_class, os_name, os_version, browser_name, browser_version,
  risk_tier, environment, service_name, service_version, credential, credential_kind, provider_name`;

/**
 * `flow_delta`, `flow_patched`, `flows_grouped` and `journeys`: one row per flow of `kind` starting
 * in [from, to) in an hour `keep(hour)` accepts, passing the filters, read from flow_states
 * through the ceremony state's read plan, as CEREMONIES reads ceremony_states (sql/queries/shared.ts;
 * sql/README.md "Flow state"): each hour's newest base, overridden by the newest valid row of every
 * flow a later patch rewrote, except the flows with an event received at or after the plan's
 * watermark, which are regrouped from raw events — so the answer equals the raw one whatever the
 * passes have done. A flow's rows lie within a span of each other (a late event can move its
 * start), so patches and events a span either side of the window are looked at.
 */
const journeyFlowsWhere = (keep: (hour: SqlFragment) => SqlFragment) => sql`
  ${deltaPart(
    'flow',
    sql`flow_delta AS MATERIALIZED (
    SELECT DISTINCT flow_id, toStartOfHour(timestamp) AS hour
    FROM ceremony_events
    WHERE flow_id != '' AND ${JOURNEY_EVENT}
      AND timestamp >= toStartOfHour({from:DateTime64(3, 'UTC')}) - ${SPAN} AND timestamp < {to:DateTime64(3, 'UTC')} + ${SPAN}
      AND received_at >= {stateWatermark:DateTime64(3, 'UTC')}
  ),`,
  )}
  -- every hour of the window, and whether its flows are read from rollups (a set the primary key
  -- can use, where the predicate itself could not: docs/performance.md, "Journeys from rollups")
  -- (within the hours a state row can have: a window at the edges of what a date can be holds none)
  window_hours AS MATERIALIZED (
    SELECT hour, ${rolledUp(sql`hour`)} AS rolled
    FROM (
      SELECT arrayJoin(arrayMap(i -> lo + toIntervalHour(i), range(if(lo < hi, toUInt32(dateDiff('hour', lo, hi)) + 1, 0)))) AS hour
      FROM (SELECT toStartOfHour(greatest({from:DateTime64(3, 'UTC')}, toDateTime64('1970-01-02 00:00:00', 3, 'UTC'))) AS lo,
                   least({to:DateTime64(3, 'UTC')}, toDateTime64('2106-01-01 00:00:00', 3, 'UTC')) AS hi))
  ),
  flow_patched AS MATERIALIZED (
    -- the newest valid patch row of each patched flow: a base newer than it cannot hold the flow
    -- elsewhere, as a base of an hour is made with the span around it (sql/README.md, "Flow state")
    SELECT version, ${FLOW_COLUMNS}
    FROM flow_states
    WHERE ${STATE_HOURS} AND (hour, version) IN ${versionPairs('flowStatePatches')}
    ORDER BY version DESC
    LIMIT 1 BY flow_id
  ),
  flows_grouped AS (
    SELECT ${FLOW_COLUMNS}
    FROM flow_states
    WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
      AND (hour, version) IN ${versionPairs('stateBases')}
      AND ${STARTS_IN_WINDOW} AND ${keep(sql`hour`)}
      -- (nothing patched or new, the usual case: no flow id is read at all)
      AND ((SELECT count() FROM flow_patched) = 0 OR flow_id NOT IN (SELECT flow_id FROM flow_patched))
      ${deltaPart('flow', sql`AND (${DELTA}.1 = 0 OR flow_id NOT IN (SELECT flow_id FROM flow_delta))`)}
    UNION ALL
    SELECT ${FLOW_COLUMNS}
    FROM flow_patched
    WHERE ${STARTS_IN_WINDOW} AND ${keep(sql`toStartOfHour(started_at)`)}
      ${deltaPart('flow', sql`AND flow_id NOT IN (SELECT flow_id FROM flow_delta)`)}
    ${deltaPart(
      'flow',
      sql`UNION ALL
    SELECT ${FLOW_COLUMNS}
    -- only the span around the new events is read (and nothing at all when there are none)
    FROM (${groupFlows(sql`timestamp >= greatest(toStartOfHour({from:DateTime64(3, 'UTC')}), ${DELTA}.2) - ${SPAN}
        AND timestamp < least({to:DateTime64(3, 'UTC')}, ${DELTA}.3 + INTERVAL 1 HOUR) + ${SPAN}
        AND flow_id IN (SELECT flow_id FROM flow_delta)
        AND received_at >= ${flowReceivedBound(
          sql`SELECT flow_id FROM flow_delta`,
          sql`${STATE_HOURS} AND hour >= ${DELTA}.2 - ${SPAN} - INTERVAL 1 HOUR
            AND hour < ${DELTA}.3 + ${SPAN} + INTERVAL 1 HOUR`,
          sql`{stateWatermark:DateTime64(3, 'UTC')}`,
        )}`)})
    WHERE ${STARTS_IN_WINDOW} AND ${keep(sql`toStartOfHour(started_at)`)}`,
    )}
  ),
  journeys AS (
    SELECT
      flow_id, kind, user_id, started_at, device_class, method, duration_ms,
      ${endState(sql`started_at + ${TIMEOUT} > now64(3)`)} AS end_state,
      arrayPushBack(steps, end_state) AS path,
      kind = 'sign_in' AND terminal IN (1, 2) AS signed_in
    FROM flows_grouped
    WHERE ${DIMENSION_FILTER_PREDICATE} AND ${FLOW_VARIANT_PREDICATE} AND ${CREDENTIAL_FILTER_PREDICATE}
  )`;

/**
 * `journeys` (with the CTEs it reads): every flow of the window the rollups do not hold, one row
 * each — read with JOURNEY_ROLLUPS, which holds the rest.
 */
export const JOURNEYS = journeyFlowsWhere((hour) => sql`${hour} IN (SELECT hour FROM window_hours WHERE NOT rolled)`);

/**
 * `journey_rollups`: the rollup rows of the window's rolled-up hours (`rolledUp`) that pass the
 * filters, each with its path and end state — the flows JOURNEYS leaves out. Needs JOURNEYS's
 * `window_hours` (or journeysSince's).
 */
export const JOURNEY_ROLLUPS = sql`
  journey_rollups AS (
    SELECT hour, method, device_class, flows, durations,
      ${endState(sql`false`)} AS end_state,
      arrayPushBack(steps, end_state) AS path,
      kind = 'sign_in' AND terminal IN (1, 2) AS signed_in
    FROM flow_rollups
    WHERE kind = {kind:String} AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
      AND hour IN (SELECT hour FROM window_hours WHERE rolled)
      AND (hour, version) IN ${versionPairs('stateBases')}
      AND ${DIMENSION_FILTER_PREDICATE} AND ${credentialFilterPredicate(sql`NOT credential`)}
  )`;

/**
 * Every flow of the window, one row each, newest first from the hour `cutoff` (a scalar subquery) on:
 * the flows behind a link when the rollups already hold enough of them in the newest hours.
 */
export const journeysSince = (cutoff: SqlFragment) => journeyFlowsWhere((hour) => sql`${hour} >= ${cutoff}`);
