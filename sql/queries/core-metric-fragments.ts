/**
 * Fragments the registration / sign-in / cohort / overview queries share, built on shared.ts.
 *
 * How the global filters apply (docs/metrics.md, "Filters"):
 *   - device class, OS, browser, risk tier, rollout variant, environment, service and the service,
 *     OS and browser versions narrow the users' events: sign-ins (so A(W)), ceremonies, fallbacks,
 *     upsell events (FILTER_PREDICATE of shared.ts);
 *   - provider and credential kind narrow credentials: which credentials make a holder (H(t)),
 *     count as live, and which ceremonies count (a ceremony is kept when the credential it names
 *     matches, or when it names none, e.g. a cancelled prompt);
 *   - a holder is a user *state*, not an event in the window, so device class / OS / browser,
 *     service and versions do not narrow H(t); risk tier (the credential's, as registered) and
 *     variant (the user was exposed before `to`) do, as they describe the user, and so does the
 *     environment (a credential registered in another environment is another deployment's).
 *
 * Why the credential filters are bound twice: FILTER_PREDICATE narrows single events, so inside
 * CEREMONIES a provider filter would drop a ceremony's server event and keep its prompt, turning
 * a success into a "cancel". These queries therefore bind `providers` / `credentialKinds` empty
 * (they then only touch events that carry no credential, which they never had to) and apply the
 * credential filters once per ceremony (KEPT_CEREMONIES) and per credential (HOLDER_CREDENTIALS),
 * from `credProviders` / `credKinds`.
 *
 * CTEs that one query reads several times (active users, holder credentials, holders at `to`) are
 * `MATERIALIZED`: ClickHouse otherwise inlines a CTE at every reference and computes it again.
 */
import { z } from 'zod';
import type { Filters } from '@/lib/domain/filters';
import { sql, type SqlFragment } from '@/lib/sql';
import { CREDENTIAL_IN_ENVIRONMENT, LIVE_AT, windowFilterParams, zWindowFilterParams } from './shared';

export const zCoreParams = zWindowFilterParams.extend({
  credProviders: z.array(z.string()),
  credKinds: z.array(z.string()),
});
export type CoreParams = z.infer<typeof zCoreParams>;

export function coreParams(window: { from: Date; to: Date }, filters: Filters): CoreParams {
  return {
    ...windowFilterParams(window, { ...filters, provider: [], credentialKind: [] }),
    credProviders: [...filters.provider],
    credKinds: [...filters.credentialKind],
  };
}

export const TO = sql`{to:DateTime64(3, 'UTC')}`;

/**
 * Consecutive windows W_i = [windowStarts[i], windowEnds[i]) that tile [from, to) — the weeks of a
 * window, or the previous window and the window — for the queries that answer each of them from
 * one read of the span (rows carry `w`, 1-based). Without them the one window is [from, to).
 * Only without a rollout-variant filter: a variant keeps what was exposed before `to`
 * (VARIANT_FILTER_PREDICATE), which differs per window; with one, callers ask window by window.
 */
export const zCoreWindowsParams = zCoreParams
  .extend({
    /** Ascending; the first is `from`. */
    windowStarts: z.array(z.date()).min(1).optional(),
    /** windowEnds[i] = windowStarts[i + 1], the last one `to`. */
    windowEnds: z.array(z.date()).min(1).optional(),
  })
  .transform((params) => ({ ...params, windowStarts: params.windowStarts ?? [params.from], windowEnds: params.windowEnds ?? [params.to] }));
export type CoreWindowsParams = z.input<typeof zCoreWindowsParams>;

/** The parameters of consecutive `windows` (ascending, each starting where the one before ends). */
export function coreWindowsParams(windows: readonly { from: Date; to: Date }[], filters: Filters): CoreWindowsParams {
  return {
    ...coreParams({ from: windows[0]!.from, to: windows[windows.length - 1]!.to }, filters),
    windowStarts: windows.map((window) => window.from),
    windowEnds: windows.map((window) => window.to),
  };
}

/** The window (1-based) of a time in [from, to). */
export const WINDOW_OF = (at: SqlFragment) => sql`toUInt32(arrayCount(s -> s <= ${at}, {windowStarts:Array(DateTime64(3, 'UTC'))}))`;
/** The end of window `w`. */
export const WINDOW_END = (w: SqlFragment) => sql`{windowEnds:Array(DateTime64(3, 'UTC'))}[${w}]`;
/** Every window, as a column `w` of one row per window (1-based). */
export const WINDOW_NUMBERS = sql`arrayEnumerate({windowEnds:Array(DateTime64(3, 'UTC'))})`;

/** `sign_ins`: the successful sign-ins with a user in the window that pass the filters. Needs FILTERED_EVENTS. */
export const SIGN_IN_EVENTS = sql`
  sign_ins AS (
    SELECT user_id, timestamp, device_class, os_name, auth_method
    FROM filtered
    WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''
  )`;

/** Successful sign-ins in the window that pass the filters, and A(W) as one row per user. Needs FILTERED_EVENTS. */
export const SIGN_INS = sql`
  ${SIGN_IN_EVENTS},
  active_users AS MATERIALIZED (
    SELECT
      user_id,
      count() AS sign_in_count,
      countIf(auth_method = 'passkey') AS passkey_sign_in_count,
      max(timestamp) AS last_sign_in_at,
      arraySort(groupUniqArray(auth_method)) AS methods,
      groupUniqArrayIf(os_name, os_name != '') AS sign_in_oses
    FROM sign_ins
    GROUP BY user_id
  )`;

/**
 * Credentials passing the credential (provider, kind) and holder (risk tier, variant, environment)
 * filters, full history. Needs CREDENTIAL_STATES.
 */
export const HOLDER_CREDENTIALS = sql`
  holder_credentials AS MATERIALIZED (
    SELECT credential_id, user_id, registered_at, deleted_at,
           ifNull(os_name, '') AS credential_os,
           ifNull(device_class, '') AS credential_device_class,
           ifNull(credential_kind, 'unknown') AS credential_kind
    FROM credential_states
    WHERE (empty({credProviders:Array(String)}) OR has({credProviders:Array(String)}, ifNull(provider_name, 'unknown')))
      AND (empty({credKinds:Array(String)}) OR has({credKinds:Array(String)}, ifNull(credential_kind, 'unknown')))
      AND (empty({riskTiers:Array(String)}) OR has({riskTiers:Array(String)}, ifNull(risk_tier, 'standard')))
      AND (empty({variants:Array(String)}) OR user_id IN (
            SELECT user_id FROM ceremony_events
            WHERE timestamp < {to:DateTime64(3, 'UTC')} AND has({variants:Array(String)}, rollout_variant)))
      AND ${CREDENTIAL_IN_ENVIRONMENT}
  )`;

/** H(to): one row per holder at `to` with their live credentials and the OS each was registered on. Needs HOLDER_CREDENTIALS. */
export const HOLDERS_AT_TO = sql`
  holders_at_to AS MATERIALIZED (
    SELECT user_id, count() AS live_credentials, groupArray(credential_os) AS credential_oses
    FROM holder_credentials
    WHERE ${LIVE_AT(TO)}
    GROUP BY user_id
  )`;

/**
 * The ceremonies of the window (shared CEREMONIES, whose provider and kind are already those the
 * credential was registered with) whose credential, if any, passes the credential filters bound as
 * `credProviders` / `credKinds` (see the header for why they are not bound as `providers`). Needs CEREMONIES.
 */
export const KEPT_CEREMONIES = sql`
  kept_ceremonies AS (
    SELECT ceremony_key, started_at, device_class, os_name, browser_name, surface, user_id, type, outcome,
           reason, credential_id, provider_name, credential_kind, environment, service_name, service_version
    FROM ceremonies
    WHERE (credential_id = '' OR empty({credProviders:Array(String)}) OR has({credProviders:Array(String)}, provider_name))
      AND (credential_id = '' OR empty({credKinds:Array(String)}) OR has({credKinds:Array(String)}, credential_kind))
  )`;

/** A holder with `liveCredentials` live credentials is covered on more than one device (multi-device coverage). */
export const MULTI_DEVICE = (liveCredentials: SqlFragment) => sql`${liveCredentials} >= 2`;

/** A user signed in from OSes `signInOses` whose live credentials were registered on `credentialOses` is a cross-platform gap (GAP_USERS). */
export const CROSS_PLATFORM_GAP = (signInOses: SqlFragment, credentialOses: SqlFragment) =>
  sql`(notEmpty(${signInOses}) AND arrayAll(os -> os != '' AND NOT has(${signInOses}, os), ${credentialOses}))`;

/**
 * Active holders whose every live credential was registered on a known OS family they did not
 * sign in from in the window (a credential of unknown OS is never a gap, nor is a user whose
 * sign-ins name no OS). Needs SIGN_INS and HOLDERS_AT_TO.
 */
export const GAP_USERS = sql`
  gap_users AS (
    SELECT a.user_id AS user_id, h.credential_oses AS credential_oses, a.sign_in_oses AS sign_in_oses
    FROM active_users AS a
    INNER JOIN holders_at_to AS h ON h.user_id = a.user_id
    WHERE ${CROSS_PLATFORM_GAP(sql`a.sign_in_oses`, sql`h.credential_oses`)}
  )`;

/** A kept ceremony that makes its user `passkey_failing`: failed or cancelled, with a user. */
export const FAILING_CEREMONY = sql`outcome IN ('failure', 'cancelled') AND user_id != ''`;

/**
 * The first-match reason of a user of the fallback-reliant cohort (docs/metrics.md), from what
 * the query knows of them: no live passkey, a failed or cancelled ceremony, a cross-platform gap.
 */
export const cohortReason = (user: { noPasskey: SqlFragment; failing: SqlFragment; gap: SqlFragment }) => sql`multiIf(
        ${user.noPasskey}, 'no_passkey',
        ${user.failing}, 'passkey_failing',
        ${user.gap}, 'cross_platform_gap',
        'chooses_fallback')`;

/**
 * The fallback-reliant cohort: users in A(W) none of whose successful sign-ins used a passkey,
 * with the first matching reason. Needs SIGN_INS, HOLDERS_AT_TO, KEPT_CEREMONIES and GAP_USERS.
 */
export const FALLBACK_COHORT = sql`
  failing_users AS (
    SELECT DISTINCT user_id
    FROM kept_ceremonies
    WHERE ${FAILING_CEREMONY}
  ),
  cohort AS (
    SELECT
      user_id,
      sign_in_count,
      last_sign_in_at,
      methods,
      ${cohortReason({
        noPasskey: sql`user_id NOT IN (SELECT user_id FROM holders_at_to)`,
        failing: sql`user_id IN (SELECT user_id FROM failing_users)`,
        gap: sql`user_id IN (SELECT user_id FROM gap_users)`,
      })} AS reason
    FROM active_users
    WHERE passkey_sign_in_count = 0
  )`;

/** Outcome counts of a ceremony set, as the rows of every tally query name them. */
export const OUTCOME_COUNTS = sql`
  countIf(outcome = 'success') AS successes,
  countIf(outcome = 'failure') AS failures,
  countIf(outcome = 'cancelled') AS cancellations`;

/**
 * Authentication ceremonies of the window, each flagged when its user held a passkey (a credential
 * passing HOLDER_CREDENTIALS, live) at the ceremony's time. One pass: each user's credential
 * lifetimes as an array, looked up per ceremony. Needs KEPT_CEREMONIES and HOLDER_CREDENTIALS.
 */
export const AUTH_CEREMONIES_WITH_HOLDER = sql`
  holder_lifetimes AS (
    SELECT user_id, groupArray((registered_at, deleted_at)) AS lifetimes
    FROM holder_credentials
    GROUP BY user_id
  ),
  auth_ceremonies_with_holder AS (
    SELECT c.ceremony_key AS ceremony_key, c.started_at AS started_at, c.device_class AS device_class,
           c.user_id AS user_id, c.outcome AS outcome,
           c.user_id != '' AND arrayExists(
             l -> l.1 <= c.started_at AND (l.2 IS NULL OR l.2 >= c.started_at), h.lifetimes) AS is_holder
    FROM kept_ceremonies AS c
    LEFT JOIN holder_lifetimes AS h ON h.user_id = c.user_id
    WHERE c.type = 'authentication'
  )`;

export const zOutcomeCounts = z.object({
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  cancellations: z.number().int().nonnegative(),
});
