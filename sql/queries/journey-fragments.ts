/**
 * Journeys (docs/metrics.md, "Journeys"): one row per `auth.flow.id` of one kind whose first step
 * falls in the window — its path of named states, its end state and its duration. Fragment shared by
 * journeys.ts (paths, links, time to sign in) and journey-flows.ts (the flows behind a link); each
 * defines one query per kind (`perKind`), whose text differs only in which flows it reads.
 *
 * How a flow becomes a path, in order:
 *   1. Its events: prompts, server verifications, fallbacks, recovery stages and sign-ins carrying
 *      the flow id. Background autofill prompts nobody used (mediation `conditional` ended
 *      abandoned / superseded / no_response) are left out, as they are from ceremonies.
 *   2. Ordered by time — a prompt's is when it opened (sent when it settles, minus its
 *      `passkey.prompt.duration_ms`) — ties: prompt, verification, fallback, recovery, sign-in; only
 *      the events within the kind's timeout (JOURNEY_TIMEOUT_MINUTES) of the first count.
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
import { JOURNEY_KINDS, JOURNEY_TIMEOUT_MINUTES, type JourneyKind } from '@/lib/domain/journeys';
import { sql, type SqlFragment } from '@/lib/sql';
import {
  CREDENTIAL_FILTER_PREDICATE,
  DIMENSION_FILTER_PREDICATE,
  VARIANT_FILTER_PREDICATE,
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

/** Which kind's terminal an event is (sign-ins end sign-in flows, and so on), as KIND_CODE gives it; 0 = none. */
const TERMINAL_KIND = sql`multiIf(
      event_name = 'auth.sign_in', 1,
      event_name = 'passkey.registration' AND result = 'success', 2,
      event_name = 'account.recovery' AND recovery_stage != 'started', 3,
      0)`;
const KIND_CODE = sql`indexOf(['sign_in', 'registration', 'recovery'], kind)`;
const KIND_CODE_PARAM = sql`indexOf(['sign_in', 'registration', 'recovery'], {kind:String})`;

/**
 * The events that make a flow of each kind a candidate: reading only those flows' events keeps a
 * registration or recovery question from grouping every sign-in flow of the window.
 */
const KIND_EVENT: Record<JourneyKind, SqlFragment> = {
  sign_in: sql`(event_name IN ('auth.sign_in', 'auth.fallback') OR surface IN ('login_page', 'login_autofill'))`,
  registration: sql`(event_name = 'passkey.registration' OR (event_name = 'passkey.prompt' AND ceremony_type = 'registration'))`,
  recovery: sql`event_name = 'account.recovery'`,
};

/** The events a journey is made of: background autofill prompts nobody used are not among them. */
const JOURNEY_EVENT = sql`event_name IN ('passkey.prompt', 'passkey.registration', 'passkey.authentication', 'auth.fallback', 'auth.sign_in', 'account.recovery')
      AND NOT (event_name = 'passkey.prompt' AND mediation = 'conditional' AND prompt_outcome IN ('abandoned', 'superseded', 'no_response'))`;

/** The events a question about flows starting in [from, to) reads: a timeout either side. */
const READ_WINDOW = sql`flow_id != ''
      AND timestamp >= {from:DateTime64(3, 'UTC')} - ${TIMEOUT} AND timestamp < {to:DateTime64(3, 'UTC')} + ${TIMEOUT}`;

/** The columns of a flow only one kind needs: the surface or method a registration or recovery entered by. */
const KIND_COLUMNS: Record<JourneyKind, SqlFragment> = {
  // the first successful sign-in: the terminal event whenever the flow ends signed in
  sign_in: sql``,
  registration: sql`, argMinIf(ev_surface, ts, ev_surface != '') AS first_surface`,
  recovery: sql`, argMinIf(ev_recovery_method, ts, ev = 'account.recovery') AS recovery_method`,
};

const ENTRY: Record<JourneyKind, SqlFragment> = {
  sign_in: sql`multiIf(
        startsWith(raw_steps[1], 'autofill_'), 'autofill',
        startsWith(raw_steps[1], 'prompt_') OR raw_steps[1] IN ('verified', 'rejected'), 'passkey_button',
        'password_form')`,
  registration: sql`multiIf(
        first_surface = 'post_sign_in_upsell', 'upsell',
        first_surface = 'recovery', 'after_recovery',
        first_surface IN ('signup', 'account_settings'), first_surface,
        'other_surface')`,
  recovery: sql`concat('recovery_', if(recovery_method = '', 'unknown', recovery_method))`,
};

/**
 * `journeys`: one row per flow of `kind` starting in [from, to) that passes the filters. Each
 * event is carried as a compact (order, state, terminal, device class, filter flags) tuple — what
 * the filters ask of the flow's first event (or of its last credential) as bits computed per event
 * — and the flow reads its first event's facts from the sorted array, not by an argMin per column:
 * a month of sign-in flows at 10 M events (850k flows) must fit a query's memory limit, and the
 * argMins cost a quarter of the query (docs/performance.md, "Journeys from one sorted array").
 * Not MATERIALIZED: a query reads it once, so ClickHouse drops the columns it does not use (the
 * user, when listing paths).
 */
export const journeysCte = (kind: JourneyKind): SqlFragment => sql`
  journey_events AS (
    SELECT
      flow_id AS ev_flow, event_name AS ev,
      -- the SDK sends a prompt when it settles: its step began when it opened
      if(event_name = 'passkey.prompt' AND prompt_duration_ms IS NOT NULL,
         timestamp - toIntervalMillisecond(toInt64(greatest(0, assumeNotNull(prompt_duration_ms)))), timestamp) AS ts,
      -- what the flow needs of each event, in one tuple sorted by time: (order, state, terminal,
      -- device class, filter flags — bit 0 dimensions pass, 1 variant passes, 2 names a credential,
      -- 3 credential passes)
      (toUnixTimestamp64Milli(ts) * 8
         + multiIf(event_name = 'passkey.prompt', 1, event_name IN ('passkey.authentication', 'passkey.registration'), 2,
                   event_name = 'auth.fallback', 3, event_name = 'account.recovery', 4, 5),
       ${STEP}, toUInt8(${TERMINAL_KIND} * 8 + ${TERMINAL}), device_class,
       toUInt8((${DIMENSION_FILTER_PREDICATE}) + 2 * ${VARIANT_FILTER_PREDICATE}
               + 4 * (credential_id != '') + 8 * (${CREDENTIAL_FILTER_PREDICATE}))) AS step,
      user_id AS ev_user, surface AS ev_surface, recovery_method AS ev_recovery_method,
      toUInt8(multiIf(
        event_name = 'account.recovery', 3,
        event_name = 'passkey.registration' OR ceremony_type = 'registration', 2,
        event_name IN ('auth.sign_in', 'auth.fallback') OR surface IN ('login_page', 'login_autofill'), 1,
        0)) AS ev_kind
    FROM ceremony_events
    WHERE ${JOURNEY_EVENT} AND ${READ_WINDOW}
      ${kind === 'sign_in' ? sql`` : sql`AND flow_id IN (SELECT flow_id FROM ceremony_events WHERE ${KIND_EVENT[kind]} AND ${READ_WINDOW})`}
  ),
  flows AS (
    SELECT
      ev_flow AS flow_id,
      -- the highest kind any event points to: recovery over registration over sign-in
      ['sign_in', 'registration', 'recovery'][max(ev_kind)] AS kind,
      arraySort(e -> e.1, groupArray(step)) AS events,
      fromUnixTimestamp64Milli(intDiv(events[1].1, 8), 'UTC') AS started_at,
      argMinIf(ev_user, ts, ev_user != '') AS user_id,
      -- the first event's device class and dimensions, any event's variant, the last credential's
      -- (first and last in the sort above)
      events[1].4 AS device_class,
      bitTest(events[1].5, 0) AS dimensions_pass,
      arrayExists(e -> bitTest(e.5, 1), events) AS variant_pass,
      if(arrayExists(e -> bitTest(e.5, 2), events), bitTest(arrayLast(e -> bitTest(e.5, 2), events).5, 3), 1) AS credential_pass
      ${KIND_COLUMNS[kind]}
    FROM journey_events
    GROUP BY ev_flow
    HAVING started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')} AND max(ev_kind) = ${KIND_CODE_PARAM}
      AND dimensions_pass AND variant_pass AND credential_pass
  ),
  journeys AS (
    SELECT
      flow_id, kind, user_id, started_at, device_class,
      arrayFilter(e -> e.1 <= (toUnixTimestamp64Milli(started_at) + {timeoutSeconds:UInt32} * 1000) * 8 + 7, events) AS timely,
      -- a terminal of this kind: its code's high bits are the kind, its low bits the end state
      arrayFirstIndex(e -> intDiv(e.3, 8) = ${KIND_CODE} AND e.3 % 8 IN (1, 2), timely) AS first_success,
      if(first_success > 0, first_success, arrayLastIndex(e -> intDiv(e.3, 8) = ${KIND_CODE}, timely)) AS terminal,
      arrayFilter(s -> s != '', arrayMap(e -> e.2, if(terminal > 0, arraySlice(timely, 1, terminal - 1), timely))) AS raw_steps,
      arrayFilter((s, i) -> i = 1 OR s != raw_steps[i - 1], raw_steps, arrayEnumerate(raw_steps)) AS steps,
      ${ENTRY[kind]} AS entry,
      multiIf(
        terminal > 0, ${TERMINAL_STATES}[tupleElement(timely[terminal], 3) % 8],
        started_at + ${TIMEOUT} > now64(3), 'in_progress',
        kind = 'registration' AND steps[-1] IN ('prompt_error', 'autofill_error', 'rejected'), 'failed',
        'abandoned') AS end_state,
      if(kind = 'sign_in' AND terminal > 0 AND tupleElement(timely[terminal], 3) % 8 IN (1, 2), tupleElement(timely[terminal], 2), '') AS method,
      toUInt64(intDiv(if(terminal > 0, tupleElement(timely[terminal], 1), tupleElement(timely[-1], 1)), 8)
        - toUnixTimestamp64Milli(started_at)) AS duration_ms,
      arrayConcat([entry], steps, [end_state]) AS path,
      kind = 'sign_in' AND end_state IN ('passkey_success', 'fallback_success') AS signed_in
    FROM flows
  )`;

/** One query definition per journey kind, made once. */
export function perKind<T>(make: (kind: JourneyKind) => T): (kind: JourneyKind) => T {
  const made = Object.fromEntries(JOURNEY_KINDS.map((kind) => [kind, make(kind)])) as Record<JourneyKind, T>;
  return (kind) => made[kind];
}
