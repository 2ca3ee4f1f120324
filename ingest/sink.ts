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
import { looksLikeEmailOrPhone } from '@passkey-rollout/telemetry';
import type { Attributes } from './decode';
import { EVENT_COLUMNS, type EventValues } from './columns';
import type { Rejection } from './to-rows';

const MAX_RAW_RECORD_CHARS = 64 * 1024;

export function dedupToken(body: Uint8Array, format: string): string {
  return createHash('sha256').update(format).update(body).digest('hex');
}

export async function insertEvents(client: ClickHouseClient, rows: EventValues[], token: string): Promise<void> {
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
}

/** The quarantine must not become a store of the contact details ingest refused to store. */
function redactContactDetails(attributes: Attributes): Attributes {
  const userId = attributes['user.id'];
  if (typeof userId !== 'string') return attributes;
  const kind = looksLikeEmailOrPhone(userId);
  return kind ? { ...attributes, 'user.id': `[redacted ${kind === 'email' ? 'e-mail address' : 'phone number'}]` } : attributes;
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
        attributes: redactContactDetails(r.record.attributes),
        resource: r.record.resource,
        scopeName: r.record.scopeName,
        traceId: r.record.traceId,
      });
      return [
        received,
        r.reason,
        r.detail,
        r.eventName.slice(0, 200),
        String(r.record.resource['service.name'] ?? '').slice(0, 200),
        raw.length > MAX_RAW_RECORD_CHARS ? raw.slice(0, MAX_RAW_RECORD_CHARS) : raw,
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
