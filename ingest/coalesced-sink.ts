/**
 * Ingest's coalesced path on the embedded engine: the rows of concurrent requests are stored as one
 * insert (ingest/coalescer.ts), and a retry of any of them is still stored once.
 *
 * Why not ClickHouse's deduplication: it recognises a retry by the insert's token, and a coalesced
 * insert's token names the whole batch — a retry arrives in another batch (or after a restart, when
 * the answer died with the process). So every row names the request that stored it
 * (`ingest_request`, sql/migrations/0013: `c` + 32 hex digits of the request's token for a
 * coalesced insert, `r` + the same for an insert of its own), and a batch stays within one
 * partition, so its insert is one part: all of it is stored or none. A retry is then recognised:
 *   - by this process's memory of the requests stored (the last hour, at most `MAX_REMEMBERED`;
 *     after a start, read from the last hour of `ceremony_events` before the first request), and,
 *     where the outcome is unknown (an insert that failed), by looking for the request's rows;
 *   - a request stored the per-request way (`r`: its rows span two partitions, its batch was refused
 *     for its data, or coalescing was off) keeps that way on every retry, where ClickHouse's
 *     per-request deduplication and row isolation (ingest/sink.ts) apply.
 * One process per data directory (the embedded engine's rule) makes the memory complete for this
 * store. A ClickHouse server, which several app processes may share, keeps the per-request path.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENT_COLUMNS, type EventValues } from './columns';
import { createCoalescer } from './coalescer';
import { insertEvents, isPermanentStorageError } from './sink';

/** Requests remembered for recognising a retry (an hour at about 28 requests/s). */
export const MAX_REMEMBERED = 100_000;
/** How long a stored request is recognised when retried. */
export const REMEMBER_MS = 3_600_000;
/** Rows queued that are stored at once without waiting for more (an insert this large is cheap already). */
export const FLUSH_ROWS = 1_000;
/** Rows of one coalesced insert at most. */
export const MAX_BATCH_ROWS = 10_000;

export interface CoalescedRequest {
  /** The request's deduplication token (ingest/sink.ts, dedupToken). */
  token: string;
  /** The partition (`toYYYYMM(timestamp)`) of every row (partitionOf). */
  partition: number;
  rows: EventValues[];
}

/**
 * `stored`: the rows were stored now; `duplicate`: a retry of a request already stored, nothing
 * stored again; `per-request`: the caller stores it the per-request way (markRequest 'r', then
 * insertEventsIsolating).
 */
export type CoalescedOutcome = 'stored' | 'duplicate' | 'per-request';

export interface CoalescedSink {
  store(request: CoalescedRequest): Promise<CoalescedOutcome>;
}

type Way = 'c' | 'r';
const REQUEST = EVENT_COLUMNS.indexOf('ingest_request');
const TIMESTAMP = EVENT_COLUMNS.indexOf('timestamp');

/** The `ingest_request` value of a request's rows stored `way`. */
export function requestId(way: Way, token: string): string {
  return `${way}${token.slice(0, 32)}`;
}

/** Names the request in each of its rows (before they are inserted `way`). */
export function markRequest(rows: EventValues[], way: Way, token: string): void {
  const id = requestId(way, token);
  for (const row of rows) row[REQUEST] = id;
}

/** The partition all rows fall in, or null when they span several (those keep the per-request path). */
export function partitionOf(rows: readonly EventValues[]): number | null {
  let partition: number | null = null;
  for (const row of rows) {
    const date = new Date(Number(row[TIMESTAMP]) * 1000);
    const month = date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
    if (partition === null) partition = month;
    else if (partition !== month) return null;
  }
  return partition;
}

interface Remembered {
  /** How it was stored; undefined while not known to be stored. */
  way?: Way;
  rememberedAt: number;
  /** A store of this request in progress; a concurrent retry waits for it. */
  pending?: Promise<unknown>;
}

const LOAD_SQL = `
SELECT ingest_request AS id, max(toUnixTimestamp64Milli(received_at)) AS at
FROM ceremony_events
WHERE received_at > now64(3) - toIntervalMillisecond({rememberMs:UInt32}) AND ingest_request != ''
GROUP BY ingest_request
ORDER BY at DESC
LIMIT {limit:UInt32}`;

const FIND_SQL = `
SELECT ingest_request AS id FROM ceremony_events
WHERE toYYYYMM(timestamp) = {partition:UInt32} AND ingest_request IN {ids:Array(String)}
LIMIT 1`;

export interface CoalescedSinkOptions {
  /** How long a request waits for concurrent ones to join its insert (INGEST_COALESCE_MS). */
  intervalMs: number;
}

export function createCoalescedSink(client: ClickHouseClient, options: CoalescedSinkOptions): CoalescedSink {
  /** By the token's first 32 hex digits. */
  const memory = new Map<string, Remembered>();
  let loading: Promise<void> | undefined;

  function remember(key: string, entry: Remembered): Remembered {
    memory.delete(key);
    memory.set(key, entry);
    const horizon = Date.now() - REMEMBER_MS;
    for (const [oldest, first] of memory) {
      if ((memory.size <= MAX_REMEMBERED && first.rememberedAt >= horizon) || first.pending) break;
      memory.delete(oldest);
    }
    return entry;
  }

  /** The requests this store received in the last hour, once per process (again after a failed attempt). */
  function loaded(): Promise<void> {
    loading ??= (async () => {
      const rows = await (
        await client.query({ query: LOAD_SQL, query_params: { rememberMs: REMEMBER_MS, limit: MAX_REMEMBERED }, format: 'JSONEachRow' })
      ).json<{ id: string; at: string | number }>();
      for (const row of rows.reverse()) {
        const key = row.id.slice(1);
        const known = memory.get(key);
        if (known?.way === 'r') continue;
        memory.set(key, { way: row.id[0] as Way, rememberedAt: Number(row.at) });
      }
    })().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  }

  const coalescer = createCoalescer<CoalescedRequest>({
    intervalMs: options.intervalMs,
    flushRows: FLUSH_ROWS,
    maxRows: MAX_BATCH_ROWS,
    weight: (request) => request.rows.length,
    async flush(_partition, requests) {
      const rows = requests.length === 1 ? requests[0]!.rows : requests.flatMap((request) => request.rows);
      // A token of its own (chDB keeps per-query settings for the session, sql/README.md): a retry is
      // recognised by its rows, never by ClickHouse's deduplication of this insert.
      await insertEvents(client, rows, `batch:${randomUUID()}`);
    },
  });

  /** How the request's rows were stored, looked up in its partition; undefined when they were not. */
  async function find(request: CoalescedRequest): Promise<Way | undefined> {
    const rows = await (
      await client.query({
        query: FIND_SQL,
        query_params: { partition: request.partition, ids: [requestId('c', request.token), requestId('r', request.token)] },
        format: 'JSONEachRow',
      })
    ).json<{ id: string }>();
    return rows[0]?.id[0] as Way | undefined;
  }

  async function storeOnce(entry: Remembered, request: CoalescedRequest, unknown: boolean): Promise<CoalescedOutcome> {
    if (unknown) {
      entry.way = await find(request);
      if (entry.way) return entry.way === 'c' ? 'duplicate' : 'per-request';
    }
    markRequest(request.rows, 'c', request.token);
    try {
      await coalescer.submit(String(request.partition), request);
      entry.way = 'c';
      return 'stored';
    } catch (error) {
      // Refused for its data (or another request's in the batch): nothing of the batch was stored;
      // this request and every retry of it go the per-request way.
      if (isPermanentStorageError(error)) return 'per-request';
      throw error;
    }
  }

  return {
    async store(request) {
      await loaded();
      const key = request.token.slice(0, 32);
      for (;;) {
        const known = memory.get(key);
        if (known?.pending) {
          await known.pending.catch(() => undefined);
          continue;
        }
        if (known?.way === 'c') return 'duplicate';
        if (known?.way === 'r') return 'per-request';
        const entry = known ?? remember(key, { rememberedAt: Date.now() });
        // Known without a way: an earlier insert of it failed, and may have stored it all the same.
        const work = storeOnce(entry, request, known !== undefined);
        entry.pending = work;
        try {
          const outcome = await work;
          if (outcome === 'per-request') entry.way = 'r';
          return outcome;
        } finally {
          entry.pending = undefined;
        }
      }
    },
  };
}
