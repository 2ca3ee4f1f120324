/**
 * Property test: the per-user state kept by day — each user's device classes (`user_device_days`,
 * migration 0016), variant exposures (`variant_exposures`, 0017) and successful sign-ins by method
 * (`user_sign_in_days`, 0018) — equals what the raw events say, and what is read through it equals
 * the same question answered from raw events alone: the Security page's takeover pattern (phishable
 * recovery, then a passkey from a device class never used before it), the users a rollout-variant
 * filter keeps (EXPOSED_USERS) and the blast radius's at-risk holders with their last passkey
 * sign-in. On a store that held
 * events before the tables existed (the migrations' backfill), then with new events, late events
 * arriving days after their time, exact retries of a batch, a merge, an erasure, filters and
 * windows that cut days and hours. Real embedded engine, real ingest mapping (decode → to-rows →
 * insertEvents).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { decodeJson } from '@/ingest/decode';
import { insertEvents } from '@/ingest/sink';
import { mapRecords } from '@/ingest/to-rows';
import type { Filters } from '@/lib/api/params';
import { setStorage } from '@/lib/clickhouse';
import { migrate } from '@/lib/migrate';
import { eraseUser } from '@/lib/privacy/erasure';
import { USER_DAY_TABLES, type UserDayTable } from '@/lib/user-day-tables';
import { defineQuery, runQuery, type QueryDefinition } from '@/lib/query';
import { gateBlastRadiusUsers } from '@/sql/queries/gate-blast-radius-users';
import { phishableRecoveryNewDevice } from '@/sql/queries/phishable-recovery-new-device';
import { EXPOSED_USERS, VARIANT_FILTER_PREDICATE, windowFilterParams } from '@/sql/queries/shared';
import { Rng } from '../helpers/fuzz';
import { otlpJson, type TestRecord } from '../helpers/otlp';
import { tempStore } from '../helpers/temp-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

const DEVICE_CLASSES = ['mobile-ios', 'mobile-android', 'desktop-windows', 'desktop-macos', 'tablet-ipados'] as const;
const VARIANTS = ['stage-2', 'stage-3', 'stage-4', 'control'] as const;
const SIGN_IN_METHODS = ['password', 'passkey', 'passkey', 'password_otp'] as const;
const RECOVERY_METHODS = ['sms_code', 'email_code', 'email_magic_link', 'support_agent_override', 'saved_recovery_code'] as const;

/**
 * One user's events over [start, end): sign-ins from one or two usual device classes, and often a
 * recovery (mostly phishable) followed within 24 h — sometimes more — by passkey registrations from
 * a usual class or another one. Some of the user's events carry no device class at all. Some
 * rollout-flag evaluations, a few of them sent before the user was known (no user id).
 */
function userEvents(r: Rng, user: string, start: number, end: number, seq: { n: number }): TestRecord[] {
  const out: TestRecord[] = [];
  const usual = [r.pick(DEVICE_CLASSES), r.pick(DEVICE_CLASSES)];
  const device = (deviceClass: string): Record<string, string> => (r.chance(0.05) ? {} : { 'device.class': deviceClass });
  const at = () => start + r.int(end - start);
  for (let i = 1 + r.int(4); i > 0; i -= 1) {
    const signIn = {
      eventName: 'auth.sign_in',
      timeMs: at(),
      attributes: {
        'user.id': user,
        ...device(r.pick(usual)),
        'auth.method': r.pick(SIGN_IN_METHODS),
        'auth.result': r.chance(0.9) ? 'success' : 'failure',
      },
    };
    out.push(signIn);
    // and again later that day
    if (r.chance(0.3)) out.push({ ...signIn, timeMs: signIn.timeMs + HOUR * (1 + r.int(12)) });
  }
  for (let i = r.int(4); i > 0; i -= 1) {
    const evaluation = {
      eventName: 'feature_flag.evaluation',
      timeMs: at(),
      attributes: {
        ...(r.chance(0.1) ? {} : { 'user.id': user }),
        'feature_flag.key': r.pick(['passkey-rollout', 'passkey-upsell']),
        'feature_flag.result.variant': r.pick(VARIANTS),
      },
    };
    out.push(evaluation);
    // evaluated again on a later page view, minutes later
    if (r.chance(0.4)) out.push({ ...evaluation, timeMs: evaluation.timeMs + MINUTE * (1 + r.int(60)) });
  }
  for (let i = r.int(3); i > 0; i -= 1) {
    const started = at();
    const method = r.pick(RECOVERY_METHODS);
    const flow = `flow-${user}-${(seq.n += 1)}`;
    const recovery = { 'user.id': user, ...device(r.pick(usual)), 'auth.flow.id': flow, 'account.recovery.method': method };
    out.push({ eventName: 'account.recovery', timeMs: started, attributes: { ...recovery, 'account.recovery.stage': 'started' } });
    // a flow announcing its start twice is one recovery
    if (r.chance(0.2))
      out.push({
        eventName: 'account.recovery',
        timeMs: started + MINUTE,
        attributes: { ...recovery, 'account.recovery.stage': 'started' },
      });
    for (let j = r.int(3); j > 0; j -= 1) {
      const ceremony = `cer-${(seq.n += 1)}`;
      out.push({
        eventName: 'passkey.registration',
        timeMs: started + r.int(30 * HOUR),
        attributes: {
          'user.id': user,
          'device.class': r.chance(0.5) ? r.pick(usual) : r.pick(DEVICE_CLASSES),
          'webauthn.ceremony.id': ceremony,
          'passkey.result': r.chance(0.9) ? 'success' : 'failure',
          'webauthn.credential.id': `cred-${ceremony}`,
        },
      });
    }
  }
  return out;
}

const temp = tempStore('pa-day-state-');
let batch = 0;

async function ingest(records: TestRecord[], token = `batch-${(batch += 1)}`): Promise<void> {
  const rows = mapRecords(decodeJson(JSON.stringify(otlpJson(records))), Date.now()).rows;
  expect(rows.length).toBe(records.length);
  await insertEvents(temp.store.ingestClient, rows, token);
}

async function rows<T>(query: string): Promise<T[]> {
  return (await temp.store.client.query({ query, format: 'JSONEachRow' })).json<T>();
}

/** Each table kept by day: its key columns, the same keys over the raw events, and the raw events it keeps. */
const KEPT_BY_DAY = {
  user_device_days: { keys: ['user_id', 'device_class'], rawKeys: ['user_id', 'device_class'], raw: "user_id != ''" },
  variant_exposures: {
    keys: ['variant', 'user_id'],
    rawKeys: ['feature_flag_variant', 'user_id'],
    raw: "event_name = 'feature_flag.evaluation'",
  },
  user_sign_in_days: {
    keys: ['auth_method', 'user_id', 'environment'],
    rawKeys: ['auth_method', 'user_id', 'environment'],
    raw: "event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''",
  },
} as const satisfies Record<UserDayTable, { keys: readonly string[]; rawKeys: readonly string[]; raw: string }>;

/** A table kept by day next to the raw events' answer for every key and day: first and last event; returns its rows. */
async function expectKeptEqualsRawEvents(table: UserDayTable, label: string): Promise<number> {
  const { keys, rawKeys, raw } = KEPT_BY_DAY[table];
  const select = (columns: readonly string[]) => columns.map((column, i) => `toString(${column}) AS ${keys[i]}`).join(', ');
  const byDay = `GROUP BY ${keys.join(', ')}, day ORDER BY ${keys.join(', ')}, day`;
  const kept = await rows<unknown>(`SELECT ${select(keys)}, day, min(first_at) AS first, max(last_at) AS last FROM ${table} ${byDay}`);
  const fromRaw = await rows<unknown>(
    `SELECT ${select(rawKeys)}, toDate(timestamp) AS day, min(timestamp) AS first, max(timestamp) AS last
     FROM ceremony_events WHERE ${raw} ${byDay}`,
  );
  expect(kept, `${table}: ${label}`).toEqual(fromRaw);
  return kept.length;
}

/** Every table kept by day equals the raw events; returns each one's rows. */
async function expectAllKeptEqualRawEvents(label: string): Promise<Record<UserDayTable, number>> {
  const counts = {} as Record<UserDayTable, number>;
  for (const table of USER_DAY_TABLES) counts[table] = await expectKeptEqualsRawEvents(table, label);
  return counts;
}

/** The users a variant filter keeps (EXPOSED_USERS, read from the exposures) next to the raw evaluations', for random `to`s. */
async function expectSameExposedUsers(r: Rng, start: number, end: number, label: string): Promise<number> {
  const rawExposed = `SELECT user_id FROM ceremony_events WHERE event_name = 'feature_flag.evaluation' AND user_id != ''
    AND timestamp < {to:DateTime64(3, 'UTC')} AND has({variants:Array(String)}, feature_flag_variant)`;
  const users = async (query: string, params: Record<string, unknown>) =>
    (
      await (
        await temp.store.client.query({
          query: `SELECT DISTINCT user_id FROM (${query}) ORDER BY user_id`,
          query_params: params,
          format: 'JSONEachRow',
        })
      ).json<{ user_id: string }>()
    ).map((row) => row.user_id);
  // `to` at a stored evaluation (not before it: excluded) or just after it, and anywhere
  const evaluations = await rows<{ ms: number }>(
    `SELECT toUnixTimestamp64Milli(timestamp) AS ms FROM ceremony_events WHERE event_name = 'feature_flag.evaluation'
     ORDER BY cityHash64(ms, ${r.int(1_000_000)}) LIMIT 6`,
  );
  const tos = [...evaluations.map((row, i) => Number(row.ms) + (i % 2)), start + r.int(end - start + DAY)];
  let found = 0;
  for (const [i, ms] of tos.entries()) {
    const to = new Date(ms);
    const variants = i === 0 ? ['stage-4'] : [r.pick(VARIANTS), r.pick(VARIANTS)];
    const params = { to: to.toISOString().replace('T', ' ').replace('Z', ''), variants };
    const kept = await users(EXPOSED_USERS.text, params);
    expect(kept, `${label}: ${variants.join()} before ${to.toISOString()}`).toEqual(await users(rawExposed, params));
    found += kept.length;
  }
  return found;
}

/**
 * An evaluation without a user exposes nobody (its row is kept as user ''): an event without a user
 * passes a variant filter only when it carries the variant itself.
 */
async function expectAnonymousEventsNotExposed(): Promise<void> {
  const [anonymous] = await rows<{ n: number }>(`SELECT count() AS n FROM variant_exposures WHERE user_id = ''`);
  expect(Number(anonymous?.n), 'the population holds anonymous evaluations').toBeGreaterThan(0);
  await ingest([
    { eventName: 'auth.sign_in', timeMs: Date.now() - DAY, attributes: { 'auth.method': 'password', 'auth.result': 'failure' } },
  ]);
  const passing = await temp.store.client.query({
    query: `SELECT countIf(user_id = '' AND ${VARIANT_FILTER_PREDICATE.text}) AS anonymous, countIf(${VARIANT_FILTER_PREDICATE.text}) AS kept
            FROM ceremony_events WHERE rollout_variant = ''`,
    query_params: { to: '2100-01-01 00:00:00.000', variants: [...VARIANTS] },
    format: 'JSONEachRow',
  });
  const [counts] = await passing.json<{ anonymous: string; kept: string }>();
  expect(Number(counts?.anonymous)).toBe(0);
  expect(Number(counts?.kept), 'the events of exposed users pass').toBeGreaterThan(0);
}

/** `query` as it read before a table kept by day: the CTE `cte` (its text up to the end matched by `end`) replaced by `replacement`. */
function readingRawEvents<P extends z.ZodType, R extends z.ZodType>(
  query: QueryDefinition<P, R>,
  cte: string,
  end: RegExp,
  replacement: string,
): QueryDefinition<P, R> {
  const pattern = new RegExp(`${cte} AS \\([\\s\\S]*?${end.source}`);
  if (!pattern.test(query.sql)) throw new Error(`${query.name} has no ${cte}`);
  return defineQuery({ ...query, name: `${query.name}-from-raw-events`, sql: query.sql.replace(pattern, replacement) });
}

/**
 * The takeover question with the history read as it was before the table: every event the users
 * with a phishable recovery ever sent, the first one on each device class.
 */
const fromRawEvents = readingRawEvents(
  phishableRecoveryNewDevice,
  'device_history',
  /\n {4}\),\n/,
  `device_history AS (
      SELECT user_id AS h_user, toString(device_class) AS h_device_class, min(timestamp) AS h_first_seen
      FROM ceremony_events
      WHERE user_id IN (SELECT r_user FROM phishable_recoveries)
      GROUP BY h_user, h_device_class
    ),
`,
);

/** The blast radius's at-risk holders with their last passkey sign-in read from every sign-in ever stored, as before 0018. */
const blastRadiusUsersFromRawEvents = readingRawEvents(
  gateBlastRadiusUsers,
  'last_passkey_sign_ins',
  /\n {6}GROUP BY user_id\n {4}\)/,
  `last_passkey_sign_ins AS (
      SELECT user_id, max(timestamp) AS last_passkey_at
      FROM ceremony_events
      WHERE event_name = 'auth.sign_in' AND result = 'success' AND auth_method = 'passkey'
        AND timestamp < {to:DateTime64(3, 'UTC')}
      GROUP BY user_id
    )`,
);

/**
 * The at-risk holders through the kept sign-in days equal those from every raw sign-in, at `to`s on
 * and just after stored passkey sign-ins (the day of `to` is read raw) and anywhere; returns how
 * many had a last passkey sign-in (before the lookback) to compare.
 */
async function expectSameAtRiskHolders(r: Rng, start: number, end: number, label: string): Promise<number> {
  const signIns = await rows<{ ms: number }>(
    `SELECT toUnixTimestamp64Milli(timestamp) AS ms FROM ceremony_events
     WHERE event_name = 'auth.sign_in' AND auth_method = 'passkey' AND timestamp > now() - INTERVAL 10 DAY
     ORDER BY cityHash64(ms, ${r.int(1_000_000)}) LIMIT 4`,
  );
  const tos = [...signIns.map((row, i) => Number(row.ms) + (i % 2)), end + r.int(DAY), start + 29 * DAY + r.int(end - start - 29 * DAY)];
  let withLast = 0;
  for (const ms of tos) {
    const to = new Date(ms);
    const params = { from: new Date(ms - 28 * DAY), to, environments: [], limit: 10_000 };
    const kept = await runQuery(gateBlastRadiusUsers, params);
    expect(kept, `${label}: at-risk holders at ${to.toISOString()}`).toEqual(await runQuery(blastRadiusUsersFromRawEvents, params));
    withLast += kept.filter((user) => user.lastPasskeySignInAt !== null).length;
  }
  return withLast;
}

const NO_FILTERS: Filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };
const FILTER_SETS: Filters[] = [NO_FILTERS, { ...NO_FILTERS, deviceClass: ['mobile-android', 'tablet-ipados'] }];

/** The takeover pairs through the kept days equal those from raw events, in random windows; returns how many were flagged. */
async function expectSameTakeovers(r: Rng, start: number, end: number, label: string): Promise<number> {
  let flagged = 0;
  const windows = [{ from: new Date(start), to: new Date(end) }];
  for (let i = 0; i < 3; i += 1) {
    const a = start + r.int(end - start);
    windows.push({ from: new Date(a), to: new Date(a + HOUR + r.int(end - a)) });
  }
  for (const window of windows)
    for (const filters of FILTER_SETS) {
      const params = { ...windowFilterParams(window, filters), limit: 1000 };
      const kept = await runQuery(phishableRecoveryNewDevice, params);
      const reference = await runQuery(fromRawEvents, params);
      expect(kept, `${label}: ${window.from.toISOString()} → ${window.to.toISOString()} ${filters.deviceClass.join()}`).toEqual(reference);
      flagged += kept.length;
    }
  return flagged;
}

afterAll(async () => {
  setStorage(undefined);
  await temp.close();
});

describe("each user's device classes, variant exposures and sign-ins by day", () => {
  it('equal the raw events, and so do the takeover pattern and the variant filter read through them, from the upgrade on', async () => {
    expect(phishableRecoveryNewDevice.sql).toContain('FROM user_device_days');
    expect(fromRawEvents.sql).not.toContain('user_device_days');
    expect(gateBlastRadiusUsers.sql).toContain('FROM user_sign_in_days');
    expect(blastRadiusUsersFromRawEvents.sql).not.toContain('user_sign_in_days');
    const r = new Rng(20_261_207);
    const seq = { n: 0 };
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const start = end - 40 * DAY;

    // A store at the schema before the table (migrations 0001–0015), holding events.
    await temp.open({ before: '0016' });
    setStorage(temp.store);
    const before = Array.from({ length: 60 }, (_, i) => userEvents(r, `dd-u${i}`, start, end, seq)).flat();
    for (let i = 0; i < before.length; i += 250) await ingest(before.slice(i, i + 250));

    // The upgrade fills the table from the stored events.
    expect((await migrate(temp.store)).applied).toEqual(['0016_user_device_days', '0017_variant_exposures', '0018_user_sign_in_days']);
    const upgraded = await expectAllKeptEqualRawEvents('after the upgrade');
    expect(upgraded.user_device_days).toBeGreaterThan(100);
    expect(upgraded.variant_exposures).toBeGreaterThan(50);
    expect(upgraded.user_sign_in_days).toBeGreaterThan(50);
    let exposed = await expectSameExposedUsers(r, start, end, 'after the upgrade');
    await expectAnonymousEventsNotExposed();
    let flagged = await expectSameTakeovers(r, start, end, 'after the upgrade');
    let lastPasskey = await expectSameAtRiskHolders(r, start, end, 'after the upgrade');

    // New users and more events of the same users, one batch sent twice (an exact retry).
    const more = Array.from({ length: 40 }, (_, i) => userEvents(r, `dd-u${i % 2 === 0 ? i : 100 + i}`, start, end, seq)).flat();
    const retried = more.slice(0, 200);
    await ingest(retried, 'retried');
    await ingest(retried, 'retried');
    await ingest(more.slice(200));
    // Late events: dated days before what was sent so far for their users, from classes never seen.
    const late = Array.from({ length: 20 }, (_, i) => ({
      eventName: 'auth.sign_in',
      timeMs: start + r.int(10 * DAY),
      attributes: { 'user.id': `dd-u${i}`, 'device.class': r.pick(DEVICE_CLASSES), 'auth.method': 'password', 'auth.result': 'success' },
    }));
    await ingest(late);
    await ingest(late);
    await expectAllKeptEqualRawEvents('new, retried and late events');
    exposed += await expectSameExposedUsers(r, start, end, 'new, retried and late events');
    flagged += await expectSameTakeovers(r, start, end, 'new, retried and late events');
    lastPasskey += await expectSameAtRiskHolders(r, start, end, 'new, retried and late events');

    // Merged as the engine merges in the background: the same answers.
    for (const table of USER_DAY_TABLES) await temp.store.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    await expectAllKeptEqualRawEvents('after a merge');
    exposed += await expectSameExposedUsers(r, start, end, 'after a merge');
    lastPasskey += await expectSameAtRiskHolders(r, start, end, 'after a merge');

    // An erasure removes the user's days with their events.
    const erased = 'dd-u2';
    const erasedRows = async (table: string) =>
      Number((await rows<{ n: number }>(`SELECT count() AS n FROM ${table} WHERE user_id = '${erased}'`))[0]?.n);
    expect(await erasedRows('user_device_days')).toBeGreaterThan(0);
    await eraseUser(temp.store.client, erased, 'test');
    for (const table of USER_DAY_TABLES) expect(await erasedRows(table), table).toBe(0);
    await expectAllKeptEqualRawEvents('after an erasure');
    exposed += await expectSameExposedUsers(r, start, end, 'after an erasure');
    flagged += await expectSameTakeovers(r, start, end, 'after an erasure');
    lastPasskey += await expectSameAtRiskHolders(r, start, end, 'after an erasure');

    // The population had takeovers to find, so the comparisons were not of empty answers.
    expect(flagged).toBeGreaterThan(0);
    expect(exposed).toBeGreaterThan(0);
    expect(lastPasskey).toBeGreaterThan(0);
  }, 240_000);
});
