/**
 * Writing accepted rows and quarantined records to ClickHouse.
 *
 * Why a deduplication token: an OTLP exporter retries a request whose response it did not get.
 * The token is a hash of the request's decoded body, so an identical retry produces identical
 * blocks with the same token and ClickHouse drops them (non_replicated_deduplication_window /
 * replicated_deduplication_window on the tables; dependent materialized views dedup too).
 */
import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENT_COLUMNS, wellFormed, type EventValues } from './columns';
import { redactForQuarantine } from './derive/contact-details';
import type { Rejection } from './to-rows';
import { tabSeparatedBody } from './tsv';

const MAX_RAW_RECORD_CHARS = 64 * 1024;

export function dedupToken(body: Uint8Array, format: string): string {
  return createHash('sha256').update(format).update(body).digest('hex');
}

const DROPPED_COLUMN = EVENT_COLUMNS.indexOf('contact_details_dropped');
const TOKEN_COLUMN = EVENT_COLUMNS.indexOf('ingest_token');
const SERVICE_COLUMN = EVENT_COLUMNS.indexOf('service_name');

/**
 * The operator's line about contact details replaced in a request's rows (ingest/derive/
 * contact-details.ts); undefined when there were none. Names the token and services, never a value.
 */
export function contactDetailsLogLine(rows: EventValues[]): string | undefined {
  let values = 0;
  let records = 0;
  const tokens = new Set<string>();
  const services = new Set<string>();
  for (const row of rows) {
    const dropped = Number(row[DROPPED_COLUMN] ?? 0);
    if (dropped === 0) continue;
    values += dropped;
    records += 1;
    tokens.add(String(row[TOKEN_COLUMN] ?? ''));
    if (services.size < 5) services.add(String(row[SERVICE_COLUMN] ?? ''));
  }
  if (values === 0) return undefined;
  return `[ingest] contact details: replaced ${values} value${values === 1 ? '' : 's'} holding an e-mail address or phone number in ${records} of ${rows.length} stored record${rows.length === 1 ? '' : 's'} (token ${[...tokens].map((t) => `'${t}'`).join(', ')}; service ${[...services].map((s) => `'${s}'`).join(', ')}); the records were kept (column contact_details_dropped)`;
}

export async function insertEvents(
  client: ClickHouseClient,
  rows: EventValues[],
  token: string,
  log: (line: string) => void = console.warn,
): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({
    table: 'ceremony_events',
    values: tabSeparatedBody(rows),
    columns: [...EVENT_COLUMNS] as [string, ...string[]],
    // TabSeparated: the engine parses it about a third faster than JSON rows (ingest/tsv.ts).
    format: 'TabSeparated',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: token,
      deduplicate_blocks_in_dependent_materialized_views: 1,
      // In cluster mode the table is Distributed: write through to the shards synchronously, so a 200
      // means the rows are on a replica and the token reaches the replicated table.
      distributed_foreground_insert: 1,
      log_comment: 'ingest:events',
    },
  });
  const line = contactDetailsLogLine(rows);
  if (line) log(line);
}

/**
 * ClickHouse errors about the data itself — parsing, types, ranges, constraints: the same rows fail
 * the same way on every retry. Anything else (the server down or busy, timeouts, memory, too many
 * parts, a read-only replica) is retryable: answered 503, the client's identical retry deduplicated.
 */
const PERMANENT_CODES = new Set([6, 26, 27, 32, 33, 38, 41, 53, 69, 70, 72, 117, 131, 321, 349, 407, 469]);

export function isPermanentStorageError(error: unknown): boolean {
  const code = Number((error as { code?: unknown } | undefined)?.code);
  return Number.isInteger(code) && PERMANENT_CODES.has(code);
}

/** Inserts a batch may spend isolating refused rows (a batch with one bad row needs about 2 × log2(rows)). */
export const MAX_ISOLATION_INSERTS = 64;

export interface RowFailure {
  row: number;
  /** The engine's reason, e.g. `CANNOT_PARSE_DATETIME: Cannot read DateTime: …`. */
  reason: string;
}

/**
 * Stores the rows, isolating the ones the engine refuses: when an insert fails for the data itself
 * (isPermanentStorageError), the batch is halved and each half tried again, down to single rows, so
 * one bad row costs its own record, not the batch (which would otherwise be answered 503 and fail
 * identically on every retry, forever). Each part's deduplication token is the batch's plus its
 * range, so an identical retry takes the same path and stores nothing twice. After
 * MAX_ISOLATION_INSERTS the parts still refused are reported whole. Returns the refused rows; throws
 * a retryable error (the caller answers 503), marked `partlyStored` when parts were stored by then
 * (the retry deduplicates them).
 */
export async function insertEventsIsolating(
  client: ClickHouseClient,
  rows: EventValues[],
  token: string,
  log: (line: string) => void = console.warn,
): Promise<RowFailure[]> {
  const failures: RowFailure[] = [];
  let budget = MAX_ISOLATION_INSERTS;
  let storedParts = 0;
  const attempt = async (start: number, end: number, partToken: string): Promise<void> => {
    try {
      await insertEvents(client, rows.slice(start, end), partToken, log);
      storedParts += 1;
    } catch (error) {
      if (!isPermanentStorageError(error)) {
        // The caller must not claim nothing was stored when parts were.
        if (storedParts > 0 && error && typeof error === 'object') Object.assign(error, { partlyStored: true });
        throw error;
      }
      const e = error as { type?: string; message?: string };
      const reason = `${e.type ?? 'refused'}: ${String(e.message ?? '').trim()}`;
      if (end - start === 1 || budget < 2) {
        for (let row = start; row < end; row++) failures.push({ row, reason });
        return;
      }
      budget -= 2;
      const middle = start + Math.ceil((end - start) / 2);
      await attempt(start, middle, `${token}:${start}-${middle}`);
      await attempt(middle, end, `${token}:${middle}-${end}`);
    }
  };
  await attempt(0, rows.length, token);
  if (failures.length > 0)
    log(`[ingest] the storage refused ${failures.length} of ${rows.length} rows: ${failures[0]!.reason.slice(0, 300)}`);
  return failures;
}

export async function insertQuarantine(
  client: ClickHouseClient,
  rejections: Rejection[],
  token: string,
  receivedMs: number,
): Promise<void> {
  if (rejections.length === 0) return;
  const received = (receivedMs / 1000).toFixed(3);
  await client.insert({
    table: 'quarantine',
    values: rejections.map((r) => {
      const raw = JSON.stringify({
        eventName: r.record.eventName,
        timeMs: r.record.timeMs,
        // The quarantine must not become a store of the contact details ingest refused to store:
        // every attribute and resource value redacted alike (the mapper already did all but user.id).
        attributes: redactForQuarantine(r.record.attributes),
        resource: redactForQuarantine(r.record.resource),
        scopeName: r.record.scopeName,
        traceId: r.record.traceId,
      });
      // Well-formed: a cut can split a surrogate pair, and JSON can send a lone one (ClickHouse refuses both).
      return [
        received,
        r.reason,
        wellFormed(r.detail),
        wellFormed(r.eventName.slice(0, 200)),
        wellFormed(String(r.record.resource['service.name'] ?? '').slice(0, 200)),
        wellFormed(raw.length > MAX_RAW_RECORD_CHARS ? raw.slice(0, MAX_RAW_RECORD_CHARS) : raw),
      ];
    }),
    columns: ['received_at', 'reason', 'detail', 'event_name', 'service_name', 'raw_record'],
    format: 'JSONCompactEachRow',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: `${token}:quarantine`,
      distributed_foreground_insert: 1,
      log_comment: 'ingest:quarantine',
    },
  });
}
