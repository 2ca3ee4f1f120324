/**
 * The ceremony state pass: keeps `ceremony_states` (one row per ceremony) up to date as events
 * arrive, so a metric reads ceremonies instead of regrouping every raw event of its window.
 *
 * Why it stays exact (sql/README.md, "Ceremony state"): a pass regroups every hour that holds or
 * neighbours an event received since the previous pass's watermark less STATE_PASS_MARGIN_MS, writes
 * the hours' ceremonies under a new version, and only then records the versions and its own
 * watermark in one insert (one part: readers see all of it or none). Readers take each hour's
 * newest version and regroup from raw events every ceremony with an event received after the
 * watermark less the margin. An event is therefore either in a pass's version of its hour or
 * regrouped by the reader, provided its insert becomes visible within the margin of its
 * `received_at` (ingest stamps it when the request arrives; an insert takes milliseconds).
 *
 * The pass runs in the background of the process that serves the API; with several app processes
 * against one cluster each may run it: passes are idempotent (same events, same rows) and the
 * newest version of an hour wins.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { bindable } from './query';
import { CEREMONY_COLUMNS, CEREMONY_EVENT, groupCeremonies, STATE_PASS_MARGIN_SECONDS } from '@/sql/queries/shared';
import { sql } from './sql';

export const STATE_PASS_MARGIN_MS = STATE_PASS_MARGIN_SECONDS * 1000;
const HOUR_MS = 3_600_000;
/** Hours regrouped by one INSERT … SELECT: bounds the memory of the first pass over a long history. */
const HOURS_PER_CHUNK = 24;

const DIRTY_HOURS_SQL = sql`
  SELECT DISTINCT toUnixTimestamp(toStartOfHour(timestamp)) * 1000 AS hour
  FROM ceremony_events
  WHERE ${CEREMONY_EVENT} AND received_at >= {since:DateTime64(3, 'UTC')}
  ORDER BY hour`.text;

const WATERMARK_SQL = `SELECT toUnixTimestamp64Milli(max(computed_at)) AS watermark, count() AS passes
  FROM ceremony_state_versions WHERE hour = toDateTime(0, 'UTC')`;

const INSERT_STATES_SQL = sql`
  INSERT INTO ceremony_states (hour, version, ${CEREMONY_COLUMNS})
  SELECT toStartOfHour(started_at) AS hour, {version:UInt64} AS version, ${CEREMONY_COLUMNS}
  FROM (${groupCeremonies(sql`timestamp >= {frameFrom:DateTime64(3, 'UTC')} AND timestamp < {frameTo:DateTime64(3, 'UTC')}
      AND has({frameHours:Array(DateTime('UTC'))}, toStartOfHour(timestamp))`)})
  WHERE has({hours:Array(DateTime('UTC'))}, toStartOfHour(started_at))`.text;

export interface PassReport {
  version: number;
  hours: number;
  ms: number;
}

/** The hours h whose ceremonies an event in hour e can change: a ceremony starting in h reads [h − 1 h, h + 2 h). */
export function affectedHours(eventHours: number[]): number[] {
  const out = new Set<number>();
  for (const e of eventHours) for (const h of [e - HOUR_MS, e, e + HOUR_MS]) out.add(h);
  return [...out].sort((a, b) => a - b);
}

/** Consecutive chunks of at most `size` sorted hours. */
export function chunkHours(hours: number[], size = HOURS_PER_CHUNK): number[][] {
  const chunks: number[][] = [];
  for (let i = 0; i < hours.length; i += size) chunks.push(hours.slice(i, i + size));
  return chunks;
}

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** One pass: regroup the hours touched since the last pass and record them with a new version. */
export async function runCeremonyStatePass(client: ClickHouseClient, now = Date.now()): Promise<PassReport> {
  const [mark] = await (await client.query({ query: WATERMARK_SQL, format: 'JSONEachRow' })).json<{ watermark: number; passes: number }>();
  const since = Number(mark?.passes ?? 0) > 0 ? Number(mark?.watermark) - STATE_PASS_MARGIN_MS : 0;
  const touched = await (
    await client.query({ query: DIRTY_HOURS_SQL, query_params: bindable({ since: new Date(since) }), format: 'JSONEachRow' })
  ).json<{ hour: number }>();
  const hours = affectedHours(touched.map((row) => Number(row.hour)));
  const version = now * 1000 + Math.floor(Math.random() * 1000);
  for (const chunk of chunkHours(hours)) {
    const first = chunk[0]!;
    const last = chunk[chunk.length - 1]!;
    await client.command({
      query: INSERT_STATES_SQL,
      query_params: bindable({
        version,
        hours: chunk.map(toSeconds),
        frameHours: affectedHours(chunk).map(toSeconds),
        frameFrom: new Date(first - HOUR_MS),
        frameTo: new Date(last + 2 * HOUR_MS),
      }),
      clickhouse_settings: { insert_deduplication_token: randomUUID(), log_comment: 'state:ceremony-states' },
    });
  }
  // The hours' versions and the pass's watermark in one insert: readers see the whole pass or none of it.
  const computedAt = (now / 1000).toFixed(3);
  await client.insert({
    table: 'ceremony_state_versions',
    values: [...hours.map((h) => [toSeconds(h), version, computedAt]), [0, version, computedAt]],
    columns: ['hour', 'version', 'computed_at'],
    format: 'JSONCompactEachRow',
    clickhouse_settings: { insert_deduplication_token: randomUUID(), distributed_foreground_insert: 1, log_comment: 'state:ceremony-versions' },
  });
  if (hours.length > 0) {
    // Older versions of the recomputed hours are garbage now (readers that began earlier keep the
    // parts they started with).
    await client.command({
      query: 'DELETE FROM ceremony_states WHERE has({hours:Array(DateTime(\'UTC\'))}, hour) AND version < {version:UInt64}',
      query_params: { hours: hours.map(toSeconds), version },
      clickhouse_settings: { log_comment: 'state:ceremony-states-gc' },
    });
  }
  return { version, hours: hours.length, ms: Date.now() - now };
}

const SCHEDULER_KEY = Symbol.for('passkey-analytics.ceremony-state-passes');
type GlobalWithScheduler = typeof globalThis & { [SCHEDULER_KEY]?: boolean };
const MIN_INTERVAL_MS = 5_000;

/**
 * Runs passes for the life of the process: one every 5 s, or, after a long pass (the first one over
 * a large history), four times its duration later, so the pass never takes more than a fifth of
 * the engine. Failures are logged and the next pass retries them.
 */
export function startCeremonyStatePasses(client: () => ClickHouseClient, log: (line: string) => void = console.log): void {
  const g = globalThis as GlobalWithScheduler;
  if (g[SCHEDULER_KEY]) return;
  g[SCHEDULER_KEY] = true;
  const loop = async () => {
    let wait = MIN_INTERVAL_MS;
    try {
      const report = await runCeremonyStatePass(client());
      if (report.ms > 2_000) log(`[state] ceremony states: ${report.hours} hours regrouped in ${(report.ms / 1000).toFixed(1)} s`);
      wait = Math.max(MIN_INTERVAL_MS, 4 * report.ms);
    } catch (error) {
      log(`[state] ceremony state pass failed, retrying: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    setTimeout(loop, wait).unref();
  };
  setTimeout(loop, 0).unref();
}
