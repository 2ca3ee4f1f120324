/**
 * Property test: every answer read through the ceremony and flow state (lib/ceremony-states.ts) —
 * the ceremony metrics and the journeys of every kind — equals the
 * answer computed from raw events alone, whatever the state pass has done — before any pass, after
 * passes, with late events arriving days after their time, exact retries of a batch, credential
 * deletions, filters, and windows that cut days and hours.
 *
 * Two databases in one embedded engine receive identical rows through the real ingest mapping
 * (decode → to-rows → insertEvents): `default`, where passes run, and `raw`, where none ever does
 * (so every ceremony there is regrouped from raw events). The same query definitions run on both.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { EVENT_COLUMNS } from '@/ingest/columns';
import { decodeJson } from '@/ingest/decode';
import { insertEvents } from '@/ingest/sink';
import { mapRecords } from '@/ingest/to-rows';
import type { Filters } from '@/lib/api/params';
import { JOURNEY_KINDS, type JourneyKind } from '@/lib/domain/journeys';
import { beginInsert } from '@/ingest/unsettled';
import { GC_BATCH_MS, runCeremonyStatePass } from '@/lib/ceremony-states';
import { createStorage, setStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { MIGRATIONS_DIR, migrate } from '@/lib/migrate';
import { runQuery as runQueryWith, type QueryDefinition } from '@/lib/query';
import { ceremonyPlan, GC_GRACE_MS, planOf, readCommits, type CeremonyPlan } from '@/lib/ceremony-plan';
import { authenticationCeremoniesByDeviceClass } from '@/sql/queries/authentication-ceremonies-by-device-class';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { failuresByGroup } from '@/sql/queries/failures-by-group';
import { fallbackCohortSizes } from '@/sql/queries/fallback-cohort-sizes';
import { holdersPasskeySignInSuccess } from '@/sql/queries/holders-passkey-sign-in-success';
import { registrationCeremoniesByDimension, registrationCeremonyBreakdown } from '@/sql/queries/registration-ceremonies-by-dimension';
import { journeyParams } from '@/sql/queries/journey-fragments';
import { journeyFlows } from '@/sql/queries/journey-flows';
import { journeyPaths } from '@/sql/queries/journeys';
import { windowFilterParams } from '@/sql/queries/shared';
import { upsellFriction } from '@/sql/queries/upsell-friction';
import { otlpJson, type TestRecord } from '../helpers/otlp';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const DEVICES = [
  { 'device.class': 'mobile-ios', 'os.name': 'iOS', 'browser.name': 'Mobile Safari' },
  { 'device.class': 'desktop-windows', 'os.name': 'Windows', 'browser.name': 'Chrome' },
  { 'device.class': 'mobile-android', 'os.name': 'Android', 'browser.name': 'Chrome' },
  { 'device.class': 'desktop-macos', 'os.name': 'macOS', 'browser.name': 'Safari' },
] as const;
const AUTHENTICATORS = [
  { aaguid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd', be: true },
  { aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4', be: true },
  { aaguid: '08987058-cadc-4b81-b6e1-30de50dcbe96', be: false },
] as const;
const SURFACES = ['login_page', 'account_settings', 'post_sign_in_upsell', 'signup'] as const;
const PROMPT_ENDINGS = [
  { outcome: 'error', errorType: 'NotAllowedError', reason: 'user_cancelled_or_timed_out' },
  { outcome: 'error', errorType: 'InvalidStateError', reason: 'credential_excluded' },
  { outcome: 'abandoned' },
  { outcome: 'superseded' },
] as const;

/**
 * One user's events over [start, start + span): registrations (some failing, some cancelled),
 * authentications (some with an anonymous login-page prompt, some failing on the server, some
 * without a browser prompt or a ceremony id), sign-ins, upsells, variant exposure and deletions.
 * Every ceremony spans less than an hour, every flow less than a day (sql/README.md).
 */
function userEvents(r: Rng, user: string, start: number, span: number, seq: { n: number }): TestRecord[] {
  const out: TestRecord[] = [];
  const device = r.pick(DEVICES);
  const who = { 'user.id': user, ...(r.chance(0.2) ? { 'user.risk_tier': 'high' } : {}), ...device };
  const emit = (eventName: string, timeMs: number, attributes: TestRecord['attributes']) => out.push({ eventName, timeMs, attributes });
  const at = () => start + r.int(span);
  const credentials: string[] = [];
  if (r.chance(0.3))
    emit('feature_flag.evaluation', at(), {
      ...who,
      'feature_flag.key': 'passkey-rollout',
      'feature_flag.result.variant': r.pick(['stage-2', 'stage-3']),
    });
  for (let i = r.int(3); i > 0; i -= 1) {
    const t = at();
    const id = `cer-${(seq.n += 1)}`;
    const surface = r.pick(SURFACES);
    if (r.chance(0.25)) {
      const ending = r.pick(PROMPT_ENDINGS);
      emit('passkey.prompt', t, {
        ...who,
        'webauthn.ceremony.id': id,
        'webauthn.ceremony.type': 'registration',
        'passkey.prompt.outcome': ending.outcome,
        'passkey.surface': surface,
        ...('errorType' in ending ? { 'error.type': ending.errorType, 'webauthn.client.failure_reason': ending.reason } : {}),
      });
      continue;
    }
    const authenticator = r.pick(AUTHENTICATORS);
    const credential = `cred-${user}-${i}`;
    const ok = r.chance(0.85);
    const flow = { 'auth.flow.id': `flow-${id}` };
    if (!r.chance(0.1))
      emit('passkey.prompt', t, {
        ...who,
        ...flow,
        'webauthn.ceremony.id': id,
        'webauthn.ceremony.type': 'registration',
        'passkey.prompt.outcome': 'success',
        'passkey.surface': surface,
      });
    emit('passkey.registration', t + r.int(20 * MINUTE), {
      ...who,
      ...flow,
      'webauthn.ceremony.id': id,
      'passkey.result': ok ? 'success' : 'failure',
      ...(ok
        ? {
            'webauthn.credential.id': credential,
            'webauthn.aaguid': authenticator.aaguid,
            'webauthn.flags.be': authenticator.be,
            'webauthn.flags.bs': authenticator.be,
          }
        : { 'webauthn.failure.reason': 'attestation_untrusted' }),
    });
    if (ok) credentials.push(credential);
  }
  if (r.chance(0.3))
    emit('passkey.upsell', at(), {
      ...who,
      'passkey.upsell.outcome': r.pick(['shown', 'accepted', 'dismissed']),
      'passkey.surface': 'post_sign_in_upsell',
    });
  for (let i = r.int(5); i > 0; i -= 1) {
    const t = at();
    const flow = { 'auth.flow.id': `flow-${user}-${(seq.n += 1)}` };
    if (credentials.length === 0 || r.chance(0.3)) {
      // a password sign-in, after a fallback from a cancelled prompt or not, or a flow left unfinished
      const method = r.pick(['password', 'password_otp']);
      if (r.chance(0.3)) {
        emit('passkey.prompt', t - MINUTE, {
          ...device,
          ...flow,
          'webauthn.ceremony.id': `cer-${(seq.n += 1)}`,
          'webauthn.ceremony.type': 'authentication',
          'passkey.prompt.outcome': 'error',
          'error.type': 'NotAllowedError',
          'webauthn.client.failure_reason': 'user_cancelled_or_timed_out',
          'passkey.surface': 'login_page',
        });
        emit('auth.fallback', t - 30_000, {
          ...who,
          ...flow,
          'auth.fallback.from': 'passkey',
          'auth.method': method,
          'auth.fallback.reason': 'user_cancelled',
          'passkey.surface': 'login_page',
        });
      }
      if (!r.chance(0.1))
        emit('auth.sign_in', t, { ...who, ...flow, 'auth.method': method, 'auth.result': r.pick(['success', 'success', 'failure']) });
      continue;
    }
    const id = `cer-${(seq.n += 1)}`;
    const credential = r.pick(credentials);
    const failing = r.chance(0.15);
    if (r.chance(0.1)) {
      // a server event without a ceremony id: a ceremony of its own
      emit('passkey.authentication', t, { ...who, 'passkey.result': 'success', 'webauthn.credential.id': credential });
    } else {
      emit('passkey.prompt', t, {
        ...(r.chance(0.4) ? device : who),
        ...flow,
        'webauthn.ceremony.id': id,
        'webauthn.ceremony.type': 'authentication',
        'passkey.prompt.outcome': 'success',
        'passkey.surface': 'login_page',
        'webauthn.mediation': r.pick(['optional', 'conditional']),
      });
      emit('passkey.authentication', t + r.int(30 * MINUTE), {
        ...who,
        ...flow,
        'webauthn.ceremony.id': id,
        'passkey.result': failing ? 'failure' : 'success',
        ...(failing ? { 'webauthn.failure.reason': 'bad_signature' } : {}),
        'webauthn.credential.id': credential,
      });
    }
    emit('auth.sign_in', t + 2 * MINUTE, { ...who, ...flow, 'auth.method': failing ? 'password' : 'passkey', 'auth.result': 'success' });
  }
  if (r.chance(0.15)) {
    // a recovery flow, always ended (an unended one would turn from in progress to abandoned with the clock)
    const t = at();
    const recovery = { ...who, 'auth.flow.id': `flow-${user}-${(seq.n += 1)}`, 'passkey.surface': 'recovery' };
    const method = r.pick(['email_magic_link', 'support_agent', 'other_bound_authenticator']);
    emit('account.recovery', t, { ...recovery, 'account.recovery.stage': 'started', 'account.recovery.method': method });
    emit('account.recovery', t + r.int(3 * HOUR), {
      ...recovery,
      'account.recovery.stage': r.pick(['completed', 'completed', 'failed']),
      'account.recovery.method': method,
    });
  }
  if (credentials.length > 0 && r.chance(0.15))
    emit('passkey.credential.lifecycle', at(), {
      'user.id': user,
      'webauthn.credential.id': r.pick(credentials),
      'passkey.credential.action': 'deleted_by_user',
    });
  return out;
}

let dataDir: string;
let store: Storage;
let raw: ClickHouseClient;
let rawStore: Storage;
let batch = 0;
/** The time ingest stamps on what it receives: a clock the test moves forward, shared by every case. */
let clock = Date.now() - 3 * HOUR;
const tick = (ms: number) => (clock += ms);

/** Sends one batch through the ingest mapping into both databases, stamped as received at `receivedMs`. */
async function ingest(records: TestRecord[], receivedMs: number, token = `batch-${(batch += 1)}`): Promise<void> {
  const rows = mapRecords(decodeJson(JSON.stringify(otlpJson(records))), receivedMs).rows;
  expect(rows.length).toBe(records.length);
  await insertEvents(store.ingestClient, rows, token);
  await insertEvents(raw, rows, token);
}

const NO_FILTERS: Filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };
const FILTER_SETS: Filters[] = [
  NO_FILTERS,
  { ...NO_FILTERS, deviceClass: ['mobile-ios', 'desktop-windows'] },
  { ...NO_FILTERS, riskTier: ['high'], os: ['Android', 'iOS', 'macOS'] },
  { ...NO_FILTERS, variant: ['stage-3'] },
  { ...NO_FILTERS, provider: ['iCloud Keychain'], browser: ['Chrome', 'Mobile Safari'] },
  { ...NO_FILTERS, credentialKind: ['device_bound'] },
];

/** Every ceremony-based question, on one store. */
async function answers(on: Storage, window: { from: Date; to: Date }, filters: Filters, plan?: CeremonyPlan) {
  setStorage(on);
  const params = coreParams(window, filters);
  const plain = windowFilterParams(window, filters);
  const sortRows = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();
  const runQuery = <P extends z.ZodType, R extends z.ZodType>(query: QueryDefinition<P, R>, params: z.input<P>) =>
    runQueryWith(query, params, { plan });
  return {
    byDeviceClass: sortRows(await runQuery(registrationCeremoniesByDimension.deviceClass, params)),
    byProvider: sortRows(await runQuery(registrationCeremoniesByDimension.provider, params)),
    breakdown: sortRows(await runQuery(registrationCeremonyBreakdown.provider, params)),
    authentication: sortRows(await runQuery(authenticationCeremoniesByDeviceClass, params)),
    holders: sortRows(await runQuery(holdersPasskeySignInSuccess, params)),
    upsell: sortRows(await runQuery(upsellFriction, params)),
    cohort: sortRows(await runQuery(fallbackCohortSizes, params)),
    journeys: Object.fromEntries(
      await Promise.all(JOURNEY_KINDS.map(async (kind) => [kind, sortRows(await runQuery(journeyPaths, journeyParams(plain, kind)))])),
    ) as Record<JourneyKind, string[]>,
    journeyFlows: sortRows(
      await runQuery(journeyFlows, {
        ...journeyParams(plain, 'sign_in'),
        depth: 0,
        source: 'passkey_button',
        target: 'prompt_ok',
        limit: 1000,
      }),
    ),
    failures: sortRows(
      await runQuery(failuresByGroup(['reason', 'deviceClass']), {
        ...plain,
        windowFrom: new Date((window.from.getTime() + window.to.getTime()) / 2),
        limit: 1000,
      }),
    ),
  };
}

/** Random windows over the population: whole days, windows cutting hours and minutes, one hour. */
function windows(r: Rng, start: number, end: number): Array<{ from: Date; to: Date }> {
  const out = [{ from: new Date(start), to: new Date(end) }];
  for (let i = 0; i < 1; i += 1) {
    const a = start + r.int(end - start);
    const b = a + MINUTE + r.int(Math.max(MINUTE, end - a));
    out.push({ from: new Date(a), to: new Date(b) });
  }
  const hour = Math.floor((start + r.int(end - start)) / HOUR) * HOUR;
  out.push({ from: new Date(hour), to: new Date(hour + HOUR) });
  return out;
}

async function expectSameAnswers(r: Rng, start: number, end: number, label: string, plan?: CeremonyPlan): Promise<number> {
  let compared = 0;
  for (const window of windows(r, start, end)) {
    const filters = r.pick(FILTER_SETS);
    const stated = await answers(store, window, filters, plan);
    const reference = await answers(rawStore, window, filters);

    expect(stated, `${label}: ${window.from.toISOString()} → ${window.to.toISOString()} ${JSON.stringify(filters)}`).toEqual(reference);
    compared += 1;
  }
  return compared;
}

/** A client on a session of its own whose queries default to `database` (same engine, same data directory). */
async function databaseClient(database: string): Promise<ClickHouseClient> {
  const session = createChdbConnection({ path: path.join(dataDir, 'clickhouse') });
  const client = createClient({
    connection: session as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'],
    clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 0 },
  });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({ query: `USE ${database}` });
  return client;
}
const others: ClickHouseClient[] = [];

/**
 * Rows as an older release wrote them: only the ceremony_events columns the older schema has (a
 * column a later migration added, e.g. service_version, is then computed by its DEFAULT on read).
 */
async function insertAtOldSchema(client: ClickHouseClient, rows: unknown[][], token: string): Promise<void> {
  const result = await client.query({
    query: "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'ceremony_events'",
    format: 'JSONEachRow',
  });
  const existing = new Set((await result.json<{ name: string }>()).map((column) => column.name));
  const kept = EVENT_COLUMNS.map((column, index) => ({ column, index })).filter(({ column }) => existing.has(column));
  await client.insert({
    table: 'ceremony_events',
    values: rows.map((row) => kept.map(({ index }) => row[index])),
    columns: kept.map(({ column }) => column) as [string, ...string[]],
    format: 'JSONCompactEachRow',
    clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: token },
  });
}

/** Rows of the flow state, of every version. */
async function flowRows(): Promise<number> {
  const [row] = await (
    await store.client.query({ query: 'SELECT count() AS n FROM flow_states', format: 'JSONEachRow' })
  ).json<{ n: number }>();
  return Number(row?.n);
}

/** Committed patches not yet folded into their hour's base (the read plan's valid patches). */
async function validPatches(): Promise<number> {
  return planOf(await readCommits(store.client)).patches.length;
}

/** Waits for the state tables' pending mutations: a pass's deletions run in the background. */
async function deletionsDone(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const result = await store.client.query({
      query: `SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND NOT is_done`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: number }>();
    if (Number(row?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the state deletions did not finish within 60 s');
}

/** State rows of a version below their hour's newest base: what the next garbage collection deletes. */
async function supersededRows(): Promise<number> {
  await deletionsDone();
  const result = await store.client.query({
    query: `SELECT count() AS n FROM ceremony_states AS s
      INNER JOIN (SELECT hour, max(version) AS base FROM ceremony_state_commits WHERE kind = 'base' GROUP BY hour) AS b ON b.hour = s.hour
      WHERE s.version < b.base`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number }>();
  return Number(row?.n);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-state-'));
  store = createStorage(parseEnv({ DATA_DIR: dataDir }));
  await migrate(store);
  // The reference database: its own session, never a pass.
  raw = await databaseClient('raw');
  rawStore = { client: raw, ingestClient: raw, stateClient: raw, mode: 'embedded', location: 'raw' };
  await migrate(rawStore);
}, 120_000);

afterAll(async () => {
  setStorage(undefined);
  await raw?.close();
  for (const client of others) await client.close();
  await store?.client.close();
  await store?.ingestClient.close();
  await store?.stateClient.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * One random population per run by default (each takes about 1.5 min on 2 cores, and the suite's
 * time is bounded), a fixed seed so that a run is repeatable, as the fuzz tests do
 * (docs/security.md); STATE_EXACTNESS_SEEDS=2,3,4 explores others (a failure names its seed).
 */
const SEEDS = (process.env.STATE_EXACTNESS_SEEDS ?? '1')
  .split(',')
  .map((seed) => Number(seed.trim()))
  .filter((seed) => Number.isSafeInteger(seed) && seed > 0);

describe('ceremony and flow state equal raw events', () => {
  it.each(SEEDS)(
    'random population, seed %i: before and after passes, late events, retries and deletions',
    async (seed) => {
      const r = rng(seed);
      const end = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR + r.int(HOUR);
      const start = end - 6 * DAY;
      const seq = { n: seed * 1_000_000 };
      const users = Array.from({ length: 60 }, (_, i) => `s${seed}-u${i}`);
      const population = users.flatMap((user) => userEvents(r, user, start, end - start, seq));
      // Hold back some ceremonies' server events and some browser prompts: they arrive late, days after
      // the rest (a late prompt can move its ceremony's start into the hour before).
      const late = population.filter(
        (rec) => (rec.eventName === 'passkey.authentication' && r.chance(0.2)) || (rec.eventName === 'passkey.prompt' && r.chance(0.1)),
      );
      const onTime = population.filter((rec) => !late.includes(rec));
      const receivedA = tick(MINUTE);
      for (let i = 0; i < onTime.length; i += 200) await ingest(onTime.slice(i, i + 200), receivedA);

      let compared = await expectSameAnswers(r, start, end, 'before any pass');
      // Every kind of journey is there to compare, not only empty answers.
      const whole = await answers(rawStore, { from: new Date(start), to: new Date(end) }, NO_FILTERS);
      for (const kind of JOURNEY_KINDS) expect(whole.journeys[kind].length, kind).toBeGreaterThan(0);
      expect(whole.journeyFlows.length).toBeGreaterThan(0);
      const first = await runCeremonyStatePass(store.stateClient, tick(2 * MINUTE));
      // The store's first pass rebuilds every hour; on a store with passes behind it, it patches.
      expect(Math.max(first.rebuilt, first.patched)).toBeGreaterThan(0);
      expect(await flowRows()).toBeGreaterThan(0);
      compared += await expectSameAnswers(r, start, end, 'after a pass');

      // Late server events (received after the pass's watermark), sent twice: an exact retry.
      const receivedB = tick(5 * MINUTE);
      await ingest(late, receivedB, `late-${seed}`);
      await ingest(late, receivedB, `late-${seed}`);
      compared += await expectSameAnswers(r, start, end, 'late events after the pass');
      const patch = await runCeremonyStatePass(store.stateClient, tick(2 * MINUTE));
      expect(patch.rebuilt).toBe(0);
      expect(patch.events).toBeGreaterThan(0);
      expect(patch.events).toBeLessThanOrEqual(late.length);
      expect(patch.patched).toBeGreaterThan(0);
      compared += await expectSameAnswers(r, start, end, 'after the pass that patched them');

      // More users' events, inserted while a pass takes its watermark: the insert is in flight (its
      // rows stamped before the pass began, visible only after it read), so the pass must leave them
      // to readers, and the next pass patches them.
      const more = users.slice(0, 10).flatMap((user) => userEvents(r, `${user}-b`, start, end - start, seq));
      const receivedC = tick(5 * MINUTE);
      const inFlight = beginInsert(receivedC);
      await runCeremonyStatePass(store.stateClient, tick(30_000));
      await ingest(more, receivedC);
      inFlight();
      compared += await expectSameAnswers(r, start, end, 'an insert in flight during the pass');
      expect((await runCeremonyStatePass(store.stateClient, tick(MINUTE))).events).toBeGreaterThan(0);
      compared += await expectSameAnswers(r, start, end, 'after the pass that patched the in-flight insert');

      // Ten quiet minutes later the patches are folded into new bases of their hours. A reader's
      // cached plan taken before the fold still names the versions the fold superseded: they stay
      // readable, so its answers stay exact.
      const before = await ceremonyPlan(store.client);
      expect(before.patches.length).toBeGreaterThan(0);
      const fold = await runCeremonyStatePass(store.stateClient, tick(11 * MINUTE));
      expect(fold.events).toBe(0);
      expect(fold.rebuilt).toBeGreaterThan(0);
      compared += await expectSameAnswers(r, start, end, 'after the patches were folded');
      compared += await expectSameAnswers(r, start, end, 'after the fold, through the plan taken before it', before);
      expect(await validPatches()).toBe(0);
      expect(await supersededRows()).toBeGreaterThan(0);

      // Superseded versions are deleted in batches: not yet once GC_GRACE_MS has passed since the
      // fold, but once GC_BATCH_MS more has, a pass deletes everything the fold superseded.
      await runCeremonyStatePass(store.stateClient, tick(GC_GRACE_MS + MINUTE));
      expect(await supersededRows()).toBeGreaterThan(0);
      await runCeremonyStatePass(store.stateClient, tick(GC_BATCH_MS));
      expect(await supersededRows()).toBe(0);
      compared += await expectSameAnswers(r, start, end, 'after the superseded versions were deleted');
      expect(compared).toBe(9 * 3);
    },
    300_000,
  );

  it('an upgrade keeps the data: a store that held events before the state existed is filled by the first pass', async () => {
    // A store at the schema before ceremony state (migrations 0001–0004), with events in it.
    const client = await databaseClient('before_upgrade');
    others.push(client);
    const upgraded: Storage = { client, ingestClient: client, stateClient: client, mode: 'embedded', location: 'before_upgrade' };
    const oldSchema = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-old-schema-'));
    for (const file of fs.readdirSync(MIGRATIONS_DIR).filter((name) => name < '0005'))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(oldSchema, file));
    await migrate(upgraded, oldSchema);
    fs.rmSync(oldSchema, { recursive: true, force: true });
    const r = rng(7);
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const start = end - 3 * DAY;
    const seq = { n: 7_000_000 };
    const population = Array.from({ length: 30 }, (_, i) => `up-u${i}`).flatMap((user) => userEvents(r, user, start, end - start, seq));
    const rows = mapRecords(decodeJson(JSON.stringify(otlpJson(population))), tick(MINUTE)).rows;
    await insertAtOldSchema(client, rows, 'before-upgrade');

    await migrate(upgraded);
    const window = { from: new Date(start), to: new Date(end) };
    const beforePass = await answers(upgraded, window, NO_FILTERS);
    const pass = await runCeremonyStatePass(client, tick(2 * MINUTE));
    expect(pass.rebuilt).toBeGreaterThan(24);
    const [states] = await (
      await client.query({ query: 'SELECT count() AS n FROM ceremony_states', format: 'JSONEachRow' })
    ).json<{ n: number }>();
    expect(Number(states?.n)).toBeGreaterThan(0);
    expect(await answers(upgraded, window, NO_FILTERS)).toEqual(beforePass);
    expect(beforePass.byDeviceClass.length).toBeGreaterThan(0);
  }, 120_000);

  it('a pass with nothing received since the previous one regroups nothing', async () => {
    await runCeremonyStatePass(store.stateClient, tick(2 * MINUTE));
    expect(await runCeremonyStatePass(store.stateClient, tick(2 * MINUTE))).toMatchObject({ events: 0, patched: 0 });
  }, 60_000);
});
