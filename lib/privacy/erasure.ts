/**
 * Erasing one user (DESIGN.md section 10; docs/security.md "Erasure"): their rows go from every
 * table that holds them — raw events (their own, and the anonymous events of their ceremonies and
 * sign-in flows), ceremony and flow state (the flow rollups are rewritten without them), credential
 * state, their state kept by day (lib/user-day-tables.ts) and quarantine — and the erased id is
 * remembered (`erasures`, migration 0009) so that ingest refuses their records dated up to the
 * erasure: an exporter retrying a batch sent before it cannot bring the data back. Records dated
 * after it are new data and are stored.
 *
 * An erasure runs under the state pass's lock (a pass regrouping the user's ceremonies from events
 * read before the delete could otherwise write them back) and after every insert this process had
 * in flight when it began has settled.
 */
import 'server-only';
import type { ClickHouseClient } from '@clickhouse/client';
import { settledBefore } from '@/ingest/unsettled';
import { CEREMONY_KEY } from '@/sql/queries/shared';
import { rewriteFlowRollups } from '../ceremony-state-folds';
import { withStatePassLock } from '../ceremony-states';
import { bindable } from '../query';
import { USER_DAY_TABLES } from '../user-day-tables';
import { sql } from '../sql';

export interface ErasureReport {
  userId: string;
  erasedAt: string;
  actor: string;
  removed: { events: number; ceremonies: number; credentials: number; quarantined: number };
}

/** The user's events, and the anonymous events of the ceremonies and flows they took part in. */
const USER_EVENTS = sql`(user_id = {userId:String}
    OR (ceremony_id != '' AND ceremony_id IN (SELECT ceremony_id FROM ceremony_events WHERE user_id = {userId:String} AND ceremony_id != ''))
    OR (flow_id != '' AND flow_id IN (SELECT flow_id FROM ceremony_events WHERE user_id = {userId:String} AND flow_id != '')))`;
const USER_CEREMONIES = sql`(user_id = {userId:String} OR ceremony_key IN (SELECT ${CEREMONY_KEY} FROM ceremony_events WHERE ${USER_EVENTS}))`;
const USER_FLOWS = sql`(user_id = {userId:String} OR has(users, {userId:String})
    OR flow_id IN (SELECT flow_id FROM ceremony_events WHERE user_id = {userId:String} AND flow_id != ''))`;
const USER_CREDENTIALS = sql`(user_id = {userId:String}
    OR credential_id IN (SELECT credential_id FROM credentials WHERE user_id = {userId:String} AND credential_id != ''))`;
/** A quarantined record names its user as `"user.id":"<id>"` in its JSON (ingest/sink.ts). */
const USER_QUARANTINE = sql`position(raw_record, {quarantineNeedle:String}) > 0`;

const COUNT_SQL = sql`SELECT
    (SELECT count() FROM ceremony_events WHERE ${USER_EVENTS}) AS events,
    (SELECT uniqExact(ceremony_key) FROM ceremony_states WHERE ${USER_CEREMONIES}) AS ceremonies,
    (SELECT uniqExact(credential_id) FROM credentials WHERE ${USER_CREDENTIALS}) AS credentials,
    (SELECT count() FROM quarantine WHERE ${USER_QUARANTINE}) AS quarantined`.text;

/** The rolled-up bases holding a flow of the user: each version with its hours (ms). */
const ROLLED_UP_FLOWS_SQL = sql`SELECT version, groupUniqArray(toUnixTimestamp(hour) * 1000) AS hours
  FROM flow_states
  WHERE ${USER_FLOWS} AND (hour, version) IN (SELECT DISTINCT hour, version FROM flow_rollups)
  GROUP BY version`.text;

/** In this order: the state first, while the events that name its ceremonies still exist. */
const DELETES: Array<[table: string, where: string]> = [
  ['ceremony_states', USER_CEREMONIES.text],
  ['flow_states', USER_FLOWS.text],
  ['credentials', USER_CREDENTIALS.text],
  ...USER_DAY_TABLES.map((table): [string, string] => [table, 'user_id = {userId:String}']),
  ['ceremony_events', USER_EVENTS.text],
  ['quarantine', USER_QUARANTINE.text],
];

function params(userId: string) {
  return { userId, quarantineNeedle: `"user.id":${JSON.stringify(userId)}` };
}

async function waitForInsertsBefore(startedMs: number): Promise<void> {
  while (settledBefore(Date.now()) < startedMs) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function eraseUser(client: ClickHouseClient, userId: string, actor: string, now = Date.now()): Promise<ErasureReport> {
  const erasedAt = new Date(now);
  // Remembered first: from here on ingest refuses the user's records dated up to now.
  rememberErasure(userId, now);
  await recordErasure(
    client,
    { userId, erasedAt: erasedAt.toISOString(), actor, removed: { events: 0, ceremonies: 0, credentials: 0, quarantined: 0 } },
    'pending',
  );
  await waitForInsertsBefore(now);
  return withStatePassLock(async () => {
    const query_params = bindable(params(userId));
    const [counts] = await (
      await client.query({ query: COUNT_SQL, query_params, format: 'JSONEachRow' })
    ).json<Record<keyof ErasureReport['removed'], number | string>>();
    // The flow rollups (migration 0015) of the bases that held the user's flows, rewritten once the
    // flows are gone: a rollup holds no user id, but it counts their flows.
    const rolled = await (
      await client.query({ query: ROLLED_UP_FLOWS_SQL, query_params, format: 'JSONEachRow' })
    ).json<{ version: number | string; hours: number[] }>();
    for (const [table, where] of DELETES) {
      await client.command({
        query: `DELETE FROM ${table} WHERE ${where}`,
        query_params,
        clickhouse_settings: { log_comment: `erasure:${table}` },
      });
    }
    for (const { version, hours } of rolled) await rewriteFlowRollups(client, hours, Number(version));
    const report: ErasureReport = {
      userId,
      erasedAt: erasedAt.toISOString(),
      actor,
      removed: {
        events: Number(counts?.events ?? 0),
        ceremonies: Number(counts?.ceremonies ?? 0),
        credentials: Number(counts?.credentials ?? 0),
        quarantined: Number(counts?.quarantined ?? 0),
      },
    };
    await recordErasure(client, report, 'done');
    return report;
  });
}

async function recordErasure(client: ClickHouseClient, report: ErasureReport, state: 'pending' | 'done'): Promise<void> {
  await client.insert({
    table: 'erasures',
    values: [
      [
        report.userId,
        (Date.parse(report.erasedAt) / 1000).toFixed(3),
        report.actor,
        state === 'done' ? JSON.stringify(report.removed) : '',
      ],
    ],
    columns: ['user_id', 'erased_at', 'actor', 'removed'],
    format: 'JSONCompactEachRow',
    clickhouse_settings: {
      insert_deduplication_token: `erasure:${report.userId}:${report.erasedAt}:${state}`,
      distributed_foreground_insert: 1,
    },
  });
}

/** Every erasure, newest first, with what it removed (an unfinished one shows removed = null). */
export async function listErasures(
  client: ClickHouseClient,
  limit = 1000,
): Promise<Array<Omit<ErasureReport, 'removed'> & { removed: ErasureReport['removed'] | null }>> {
  const rows = await (
    await client.query({
      query: `SELECT user_id AS userId, toUnixTimestamp64Milli(erased_at) AS erasedAtMs, any(actor) AS actor, max(removed) AS removed
        FROM erasures GROUP BY user_id, erased_at ORDER BY erased_at DESC LIMIT {limit:UInt32}`,
      query_params: { limit },
      format: 'JSONEachRow',
    })
  ).json<{ userId: string; erasedAtMs: number | string; actor: string; removed: string }>();
  return rows.map((row) => ({
    userId: row.userId,
    erasedAt: new Date(Number(row.erasedAtMs)).toISOString(),
    actor: row.actor,
    removed: row.removed ? (JSON.parse(row.removed) as ErasureReport['removed']) : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// The erased ids ingest checks, kept in memory (a lookup per record) and refreshed from the table
// every minute, so an erasure made by another instance of a cluster is picked up too.
// ---------------------------------------------------------------------------------------------

const ERASED_KEY = Symbol.for('passkey-analytics.erased-users');
type GlobalWithErased = typeof globalThis & { [ERASED_KEY]?: Map<string, number> };
const REFRESH_MS = 60_000;

function erased(): Map<string, number> {
  const g = globalThis as GlobalWithErased;
  g[ERASED_KEY] ??= new Map();
  return g[ERASED_KEY];
}

function rememberErasure(userId: string, atMs: number): void {
  erased().set(userId, Math.max(atMs, erased().get(userId) ?? 0));
}

/** Whether a record of `userId` dated `timeMs` falls under an erasure (then it is not stored). */
export function isErased(userId: string, timeMs: number): boolean {
  if (userId === '') return false;
  const at = erased().get(userId);
  return at !== undefined && timeMs <= at;
}

/** When `userId` was last erased, if ever (ms). */
export function erasedAtOf(userId: string): number | undefined {
  return erased().get(userId);
}

export async function loadErasures(client: ClickHouseClient): Promise<void> {
  const rows = await (
    await client.query({
      query: 'SELECT user_id AS userId, toUnixTimestamp64Milli(max(erased_at)) AS atMs FROM erasures GROUP BY user_id',
      format: 'JSONEachRow',
    })
  ).json<{ userId: string; atMs: number | string }>();
  for (const row of rows) rememberErasure(row.userId, Number(row.atMs));
}

const REFRESH_KEY = Symbol.for('passkey-analytics.erasure-refresh');
type GlobalWithRefresh = typeof globalThis & { [REFRESH_KEY]?: boolean };

/** Loads the erased ids now and every minute for the life of the process. */
export async function startErasureRefresh(client: () => ClickHouseClient, log: (line: string) => void = console.warn): Promise<void> {
  await loadErasures(client());
  const g = globalThis as GlobalWithRefresh;
  if (g[REFRESH_KEY]) return;
  g[REFRESH_KEY] = true;
  const tick = () => {
    loadErasures(client())
      .catch((error: unknown) =>
        log(`[privacy] reloading erased users failed, retrying: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
      )
      .finally(() => setTimeout(tick, REFRESH_MS).unref());
  };
  setTimeout(tick, REFRESH_MS).unref();
}
