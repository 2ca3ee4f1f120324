/**
 * Fragments every metric query shares, so DESIGN.md section 4 is written down once:
 *   - the filter parameters and the filtered-events CTE (filters narrow the events first),
 *   - the ceremony-outcome CTE (success / failure / cancelled per webauthn.ceremony.id),
 *   - credential liveness at a time (holders H(t) from each credential's full history).
 * All values are bound {name:Type} parameters; these fragments are fixed text.
 */
import { z } from 'zod';
import { sql, type SqlFragment } from '@/lib/sql';
import { environmentsRead, type Filters } from '@/lib/domain/filters';
import { env } from '@/lib/env';
import { versionPairs } from '@/lib/ceremony-plan';
import { deltaPart } from '@/lib/state-deltas';

/** Bound parameters of the window and the global filters, as every metric query takes them. */
export const zWindowFilterParams = z.object({
  from: z.date(),
  to: z.date(),
  /** The zone of day buckets (`toDate(t, {tz:String})`); queries without day buckets ignore it. */
  tz: z.string(),
  deviceClasses: z.array(z.string()),
  oses: z.array(z.string()),
  browsers: z.array(z.string()),
  providers: z.array(z.string()),
  credentialKinds: z.array(z.string()),
  riskTiers: z.array(z.string()),
  variants: z.array(z.string()),
  environments: z.array(z.string()),
  services: z.array(z.string()),
  serviceVersions: z.array(z.string()),
  osVersions: z.array(z.string()),
  browserVersions: z.array(z.string()),
});
export type WindowFilterParams = z.infer<typeof zWindowFilterParams>;

/**
 * The bound parameters of a request's window and filters. The environment is the one the server
 * applies (lib/domain/filters.ts): the request's, else DEFAULT_ENVIRONMENT when configured.
 */
export function windowFilterParams(range: { from: Date; to: Date; tz?: string }, filters: Filters): WindowFilterParams {
  return {
    from: range.from,
    to: range.to,
    tz: range.tz ?? 'UTC',
    deviceClasses: filters.deviceClass,
    oses: filters.os,
    browsers: filters.browser,
    providers: filters.provider,
    credentialKinds: filters.credentialKind,
    riskTiers: filters.riskTier,
    variants: filters.variant,
    environments: environmentsRead(filters, env().DEFAULT_ENVIRONMENT),
    services: filters.service ?? [],
    serviceVersions: filters.serviceVersion ?? [],
    osVersions: filters.osVersion ?? [],
    browserVersions: filters.browserVersion ?? [],
  };
}

/**
 * The environments read (`{environments}`: the request's, else DEFAULT_ENVIRONMENT; empty = all)
 * over a row's `environment` column — part of every filter, and alone where nothing else filters.
 */
export const ENVIRONMENT_PREDICATE = sql`(empty({environments:Array(String)}) OR has({environments:Array(String)}, environment))`;

/**
 * The filter predicate over a ceremony_events row (and a ceremony_states row: same column names).
 * Environment, service, service version, OS and browser versions, device class, OS, browser and
 * risk tier apply to every event; provider and credential kind describe a credential, so they narrow the events that
 * carry one (registration, authentication, lifecycle) and leave the others alone; a rollout variant
 * keeps the events of users exposed to it (a feature_flag.evaluation with that variant before `to`)
 * or carrying it themselves.
 */
export const DIMENSION_FILTER_PREDICATE = sql`
      ${ENVIRONMENT_PREDICATE}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service_name))
  AND (empty({serviceVersions:Array(String)}) OR has({serviceVersions:Array(String)}, service_version))
  AND (empty({osVersions:Array(String)}) OR has({osVersions:Array(String)}, os_version))
  AND (empty({browserVersions:Array(String)}) OR has({browserVersions:Array(String)}, browser_version))
  AND (empty({deviceClasses:Array(String)}) OR has({deviceClasses:Array(String)}, device_class))
  AND (empty({oses:Array(String)}) OR has({oses:Array(String)}, os_name))
  AND (empty({browsers:Array(String)}) OR has({browsers:Array(String)}, browser_name))
  AND (empty({riskTiers:Array(String)}) OR has({riskTiers:Array(String)}, risk_tier))`;

/**
 * The users exposed to a rollout variant asked for (`{variants}`) before `to`: a
 * `feature_flag.evaluation` giving that variant. Read from `variant_exposures` (migration 0017: per
 * variant, user and day the first and last evaluation), where a row with `first_at` before `to`
 * exists exactly when such an evaluation is stored — the variant's rows, not every evaluation ever.
 * An evaluation without a user exposes nobody: the table keeps its row (user '') but it is not
 * read, so an event without a user passes a variant filter only when it carries the variant.
 */
export const EXPOSED_USERS = sql`SELECT user_id FROM variant_exposures
            WHERE has({variants:Array(String)}, variant)
              AND first_at < {to:DateTime64(3, 'UTC')}
              AND user_id != ''`;

/** The rollout-variant part of EVENT_FILTER_PREDICATE, over `rollout_variant` and `user_id`. */
export const VARIANT_FILTER_PREDICATE = sql`(empty({variants:Array(String)})
       OR has({variants:Array(String)}, rollout_variant)
       OR user_id IN (${EXPOSED_USERS}))`;

/** The credential filters over rows where `namesNone` says the row names no credential (such a row passes). */
export const credentialFilterPredicate = (
  namesNone: SqlFragment,
) => sql`(${namesNone} OR empty({providers:Array(String)}) OR has({providers:Array(String)}, provider_name))
  AND (${namesNone} OR empty({credentialKinds:Array(String)}) OR has({credentialKinds:Array(String)}, credential_kind))`;

/** The credential part of FILTER_PREDICATE: an event naming no credential passes. */
export const CREDENTIAL_FILTER_PREDICATE = credentialFilterPredicate(sql`credential_id = ''`);

export const EVENT_FILTER_PREDICATE = sql`
  ${DIMENSION_FILTER_PREDICATE}
  AND ${VARIANT_FILTER_PREDICATE}`;

export const FILTER_PREDICATE = sql`
  ${EVENT_FILTER_PREDICATE}
  AND ${CREDENTIAL_FILTER_PREDICATE}`;

/** Events in the window [from, to) that pass the filters. */
export const FILTERED_EVENTS = sql`
  filtered AS (
    SELECT *
    FROM ceremony_events
    WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ${FILTER_PREDICATE}
  )`;

/** An event's ceremony: its webauthn.ceremony.id, or for a server event sent without one, a key of its own. */
export const CEREMONY_KEY = sql`if(ceremony_id != '', ceremony_id,
  concat('server:', event_name, ':', user_id, ':', credential_id, ':', toString(toUnixTimestamp64Milli(timestamp))))`;

/**
 * The events that make ceremonies. Background autofill prompts (mediation 'conditional') that ended
 * abandoned / superseded / no_response are not ceremonies: nobody engaged with them, and counting
 * them would bury real cancels under every page view.
 */
export const CEREMONY_EVENT = sql`event_name IN ('passkey.prompt', 'passkey.registration', 'passkey.authentication')
  AND NOT (event_name = 'passkey.prompt' AND mediation = 'conditional' AND prompt_outcome IN ('abandoned', 'superseded', 'no_response'))`;

/** The columns of a ceremony, in the order of the ceremony_states table (after hour and version). */
export const CEREMONY_COLUMNS = sql`ceremony_key, started_at, type, outcome, reason, user_id, flow_id, device_class, os_name,
  os_version, browser_name, browser_version, surface, mediation, risk_tier, rollout_variant, environment, service_name,
  service_version, credential_id, credential_kind, provider_name, first_received_at`;

/**
 * One row per ceremony from the raw events matching `events` (DESIGN.md section 4):
 *   outcome   'success' if a server event succeeded; else 'failure' if a server event failed or the
 *             browser prompt errored with a non-cancel reason; else 'cancelled'.
 *   reason    the server failure reason, else the browser's failure reason, else the prompt outcome.
 * A ceremony without a browser event is judged by its server event alone; a server event without a
 * ceremony id is a ceremony of its own. Its time, device class, OS, browser, surface, risk tier,
 * environment and service are its first event's; its user the first non-empty user id (a
 * login-page prompt does not know the user yet). Provider and credential kind are those its events
 * carry; CEREMONIES replaces them by the credential's as registered.
 * Used by the state pass (lib/ceremony-states.ts) and by readers for the ceremonies the pass has not
 * seen yet, so both judge a ceremony the same way.
 */
export const groupCeremonies = (events: SqlFragment) => sql`
  SELECT
    ceremony_key,
    min(ts) AS started_at,
    multiIf(
      countIf(ev = 'passkey.registration') > 0, 'registration',
      countIf(ev = 'passkey.authentication') > 0, 'authentication',
      anyIf(ev_type, ev_type != '')) AS type,
    countIf(ev != 'passkey.prompt' AND ev_result = 'success') > 0 AS server_success,
    countIf(ev != 'passkey.prompt' AND ev_result = 'failure') > 0 AS server_failure,
    countIf(ev = 'passkey.prompt' AND ev_prompt_outcome = 'error'
            AND ev_client_reason NOT IN ('user_cancelled_or_timed_out', 'aborted_by_browser', 'aborted_by_rp')) > 0 AS client_failure,
    multiIf(server_success, 'success', server_failure OR client_failure, 'failure', 'cancelled') AS outcome,
    multiIf(
      outcome = 'success', '',
      server_failure, argMaxIf(ev_server_reason, ts, ev != 'passkey.prompt' AND ev_result = 'failure'),
      countIf(ev = 'passkey.prompt' AND ev_client_reason != '') > 0,
        argMaxIf(ev_client_reason, ts, ev = 'passkey.prompt' AND ev_client_reason != ''),
      countIf(ev = 'passkey.prompt' AND ev_prompt_outcome NOT IN ('success', '')) > 0,
        argMaxIf(ev_prompt_outcome, ts, ev = 'passkey.prompt' AND ev_prompt_outcome NOT IN ('success', '')),
      'unknown') AS reason,
    argMinIf(ev_user, ts, ev_user != '') AS user_id,
    argMinIf(ev_flow, ts, ev_flow != '') AS flow_id,
    argMin(ev_device_class, ts) AS device_class,
    argMin(ev_os, ts) AS os_name,
    argMin(ev_os_version, ts) AS os_version,
    argMin(ev_browser, ts) AS browser_name,
    argMin(ev_browser_version, ts) AS browser_version,
    argMinIf(ev_surface, ts, ev_surface != '') AS surface,
    argMinIf(ev_mediation, ts, ev = 'passkey.prompt') AS mediation,
    argMin(ev_risk_tier, ts) AS risk_tier,
    argMinIf(ev_variant, ts, ev_variant != '') AS rollout_variant,
    argMin(ev_environment, ts) AS environment,
    argMin(ev_service, ts) AS service_name,
    argMin(ev_service_version, ts) AS service_version,
    argMaxIf(ev_credential, ts, ev_credential != '') AS credential_id,
    argMaxIf(ev_credential_kind, ts, ev_credential != '') AS credential_kind,
    argMaxIf(ev_provider, ts, ev_credential != '') AS provider_name,
    min(ev_received) AS first_received_at
  FROM (
    SELECT
      ${CEREMONY_KEY} AS ceremony_key,
      timestamp AS ts, event_name AS ev, user_id AS ev_user, flow_id AS ev_flow, device_class AS ev_device_class,
      os_name AS ev_os, os_version AS ev_os_version, browser_name AS ev_browser, browser_version AS ev_browser_version,
      surface AS ev_surface, mediation AS ev_mediation, ceremony_type AS ev_type, prompt_outcome AS ev_prompt_outcome,
      client_failure_reason AS ev_client_reason, result AS ev_result, failure_reason AS ev_server_reason,
      credential_id AS ev_credential, credential_kind AS ev_credential_kind, provider_name AS ev_provider,
      risk_tier AS ev_risk_tier, rollout_variant AS ev_variant, environment AS ev_environment, service_name AS ev_service,
      received_at AS ev_received,
      service_version AS ev_service_version
    FROM ceremony_events
    WHERE ${CEREMONY_EVENT} AND ${events}
  )
  GROUP BY ceremony_key
  HAVING type IN ('registration', 'authentication')`;

/**
 * The earliest `received_at` an event of the ceremonies `keys` (a subquery of ceremony keys; `hours`
 * a subquery of the hours their state rows can start in, an hour around their events) can have: the first receipt recorded in any state row of theirs (every
 * row of a ceremony saw its first event: events are received in order), else `fallback` (a
 * ceremony no pass has seen has no event before the watermark), less 60 s for the clock. Regrouping
 * them then reads only recent events (the received_at index skips the rest) instead of every
 * event of their hours.
 */
export const receivedBound = (keys: SqlFragment, hours: SqlFragment, fallback: SqlFragment) =>
  firstReceiptBound(sql`ceremony_states`, sql`ceremony_key`, sql`hour IN (${hours})`, keys, fallback);

/** The bound of receivedBound over any state table with `first_received_at`: its rows in `range` whose `key` is among `keys`. */
export const firstReceiptBound = (
  table: SqlFragment,
  key: SqlFragment,
  range: SqlFragment,
  keys: SqlFragment,
  fallback: SqlFragment,
) => sql`
  (least(${fallback}, ifNull((
      SELECT minOrNull(first_received_at) FROM ${table}
      WHERE ${range} AND ${key} IN (${keys})),
    ${fallback})) - INTERVAL 60 SECOND)`;

/**
 * One row per ceremony whose first event falls in the window, passing the filters (DESIGN.md
 * section 4; the columns of groupCeremonies). Read from ceremony_states (lib/ceremony-states.ts)
 * through the read plan that lib/query.ts binds (lib/ceremony-plan.ts: `{stateBases}`,
 * `{statePatches}`, `{statePatchHours}`, `{stateWatermark}`):
 * each hour's newest base, overridden by the newest valid row of every ceremony a later patch
 * rewrote (a patch is valid while newer than its hour's base; a ceremony's rows lie within an hour
 * of each other, so patches two hours beyond the window are looked at), except the ceremonies with
 * an event received at or after the last pass's watermark, which are regrouped from raw events: the
 * answer equals the raw one whatever the passes have done (sql/README.md, "Ceremony state"). The
 * regrouping parts are marked (`deltaPart`): lib/query.ts leaves them out when no event received
 * since the watermark lies within their reach (lib/state-deltas.ts).
 * Filters apply to the ceremony (EVENT_FILTER_PREDICATE over its columns): device class, OS, browser
 * and risk tier are its first event's, its rollout variant the first one an event carries, its user
 * the one exposed to a variant. Provider and
 * credential kind describe the ceremony's credential as registered (an authentication event rarely
 * carries an AAGUID); a ceremony that names no credential passes them.
 */
export const CEREMONIES = sql`
  ${deltaPart(
    'ceremony',
    sql`ceremony_delta_keys AS MATERIALIZED (
    SELECT DISTINCT ${CEREMONY_KEY} AS ceremony_key, toStartOfHour(timestamp) AS hour
    FROM ceremony_events
    WHERE ${CEREMONY_EVENT}
      AND timestamp >= toStartOfHour({from:DateTime64(3, 'UTC')}) - INTERVAL 1 HOUR
      AND timestamp < {to:DateTime64(3, 'UTC')} + INTERVAL 2 HOUR
      AND received_at >= {stateWatermark:DateTime64(3, 'UTC')}
  ),`,
  )}
  ceremony_patched AS MATERIALIZED (
    -- The newest valid row of each patched ceremony: its patches and its base rows nearby.
    SELECT version, ${CEREMONY_COLUMNS}
    FROM ceremony_states
    WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) - INTERVAL 2 HOUR AND hour < {to:DateTime64(3, 'UTC')} + INTERVAL 2 HOUR
      AND ((hour, version) IN ${versionPairs('statePatches')}
        OR (hour IN {statePatchHours:Array(DateTime('UTC'))}
            AND (hour, version) IN ${versionPairs('stateBases')}
            AND ceremony_key IN (
              SELECT ceremony_key FROM ceremony_states
              WHERE (hour, version) IN ${versionPairs('statePatches')})))
    ORDER BY version DESC
    LIMIT 1 BY ceremony_key
  ),
  ceremonies_grouped AS (
    SELECT ${CEREMONY_COLUMNS}
    FROM ceremony_states
    WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
      AND (hour, version) IN ${versionPairs('stateBases')}
      AND started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
      AND ceremony_key NOT IN (SELECT ceremony_key FROM ceremony_patched)
      ${deltaPart('ceremony', sql`AND ceremony_key NOT IN (SELECT ceremony_key FROM ceremony_delta_keys)`)}
    UNION ALL
    SELECT ${CEREMONY_COLUMNS}
    FROM ceremony_patched
    WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
      ${deltaPart('ceremony', sql`AND ceremony_key NOT IN (SELECT ceremony_key FROM ceremony_delta_keys)`)}
    ${deltaPart(
      'ceremony',
      sql`UNION ALL
    SELECT ${CEREMONY_COLUMNS}
    -- A ceremony's events lie within an hour of each other, so only the hours around the new
    -- events are read (and nothing at all when there are none).
    FROM (${groupCeremonies(sql`timestamp >= greatest(toStartOfHour({from:DateTime64(3, 'UTC')}) - INTERVAL 1 HOUR,
                                          (SELECT min(hour) FROM ceremony_delta_keys) - INTERVAL 2 HOUR)
        AND timestamp < least({to:DateTime64(3, 'UTC')} + INTERVAL 2 HOUR, (SELECT max(hour) FROM ceremony_delta_keys) + INTERVAL 3 HOUR)
        AND toStartOfHour(timestamp) IN (
              SELECT arrayJoin([hour - INTERVAL 2 HOUR, hour - INTERVAL 1 HOUR, hour, hour + INTERVAL 1 HOUR, hour + INTERVAL 2 HOUR])
              FROM ceremony_delta_keys)
        AND ${CEREMONY_KEY} IN (SELECT ceremony_key FROM ceremony_delta_keys)
        AND received_at >= ${receivedBound(
          sql`SELECT ceremony_key FROM ceremony_delta_keys`,
          sql`SELECT arrayJoin([hour - INTERVAL 1 HOUR, hour, hour + INTERVAL 1 HOUR]) FROM ceremony_delta_keys`,
          sql`{stateWatermark:DateTime64(3, 'UTC')}`,
        )}`)})
    WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}`,
    )}
  ),
  ceremony_credentials AS (
    SELECT credential_id, any(provider_name) AS registered_provider, any(credential_kind) AS registered_kind
    FROM credentials
    GROUP BY credential_id
  ),
  ceremonies AS (
    SELECT
      g.ceremony_key AS ceremony_key, g.started_at AS started_at, g.device_class AS device_class,
      g.os_name AS os_name, g.browser_name AS browser_name, g.surface AS surface, g.user_id AS user_id,
      g.risk_tier AS risk_tier, g.type AS type, g.outcome AS outcome, g.reason AS reason, g.credential_id AS credential_id,
      g.environment AS environment, g.service_name AS service_name, g.service_version AS service_version,
      g.os_version AS os_version, g.browser_version AS browser_version,
      if(g.credential_id = '', 'unknown',
         ifNull(nullIf(c.registered_provider, ''), if(g.provider_name = '', 'unknown', g.provider_name))) AS provider_name,
      if(g.credential_id = '', 'unknown',
         ifNull(nullIf(c.registered_kind, ''), if(g.credential_kind = '', 'unknown', g.credential_kind))) AS credential_kind
    FROM ceremonies_grouped AS g
    LEFT JOIN ceremony_credentials AS c ON c.credential_id = g.credential_id
    WHERE ${EVENT_FILTER_PREDICATE}
      AND (g.credential_id = '' OR empty({providers:Array(String)}) OR has({providers:Array(String)}, provider_name))
      AND (g.credential_id = '' OR empty({credentialKinds:Array(String)}) OR has({credentialKinds:Array(String)}, credential_kind))
  )`;

/**
 * Credential state per credential from its full history (the credentials table, merged).
 * A credential is live at t when registered at or before t and not deleted before t.
 */
export const CREDENTIAL_STATES = sql`
  credential_states AS (
    SELECT
      credential_id,
      any(user_id) AS user_id,
      min(registered_at) AS registered_at,
      min(deleted_at) AS deleted_at,
      any(device_class) AS device_class,
      any(os_name) AS os_name,
      any(credential_kind) AS credential_kind,
      any(provider_name) AS provider_name,
      any(provider_kind) AS provider_kind,
      any(attestation_format) AS attestation_format,
      any(risk_tier) AS risk_tier
    FROM credentials
    GROUP BY credential_id
    HAVING registered_at IS NOT NULL
  )`;

/**
 * A credential (a row with `credential_id`) registered in one of the environments read: holder
 * state H(t) follows the environment filter (a staging passkey does not make a production holder),
 * as the credentials table keeps no environment. Always true when every environment is read; the
 * subquery then reads nothing (its condition is constant false).
 */
export const CREDENTIAL_IN_ENVIRONMENT = sql`(empty({environments:Array(String)}) OR credential_id IN (
      SELECT credential_id FROM ceremony_events
      WHERE notEmpty({environments:Array(String)})
        AND event_name = 'passkey.registration' AND result = 'success' AND credential_id != ''
        AND has({environments:Array(String)}, environment)))`;

/** `credential_states` rows live at time `at` (a column or parameter expression of the caller). */
export const LIVE_AT = (at: ReturnType<typeof sql>) => sql`(registered_at <= ${at} AND (deleted_at IS NULL OR deleted_at >= ${at}))`;
