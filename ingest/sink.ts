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
    values: rows,
    columns: [...EVENT_COLUMNS] as [string, ...string[]],
    format: 'JSONCompactEachRow',
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
