/** Test helpers: OTLP payload builders (JSON and protobuf) and HTTP helpers for the running app. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ExportLogsServiceRequest } from '@/ingest/otlp-proto';

export type Scalar = string | number | boolean | string[];
export interface TestRecord {
  eventName?: string;
  attributes: Record<string, Scalar>;
  timeMs?: number;
}

function anyValueJson(value: Scalar): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => ({ stringValue: v })) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}

export function otlpJson(records: TestRecord[], resource: Record<string, string> = { 'service.name': 'test-rp' }) {
  return {
    resourceLogs: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
        scopeLogs: [
          {
            scope: { name: 'passkey-telemetry-test' },
            logRecords: records.map((record) => ({
              timeUnixNano: String(BigInt(record.timeMs ?? Date.now()) * 1_000_000n),
              severityNumber: 9,
              ...(record.eventName ? { eventName: record.eventName } : {}),
              attributes: Object.entries(record.attributes).map(([key, value]) => ({ key, value: anyValueJson(value) })),
            })),
          },
        ],
      },
    ],
  };
}

function anyValuePb(value: Scalar): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => ({ stringValue: v })) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  return { stringValue: value };
}

export function otlpProtobuf(
  records: TestRecord[],
  resource: Record<string, string> = { 'service.name': 'test-rp' },
): Uint8Array<ArrayBuffer> {
  const message = ExportLogsServiceRequest.fromObject({
    resourceLogs: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
        scopeLogs: [
          {
            scope: { name: 'passkey-telemetry-test' },
            logRecords: records.map((record) => ({
              timeUnixNano: String(BigInt(record.timeMs ?? Date.now()) * 1_000_000n),
              severityNumber: 9,
              eventName: record.eventName ?? '',
              attributes: Object.entries(record.attributes).map(([key, value]) => ({ key, value: anyValuePb(value) })),
            })),
          },
        ],
      },
    ],
  });
  return new Uint8Array(ExportLogsServiceRequest.encode(message).finish());
}

export const uid = (prefix = 'u') => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

export async function postLogs(baseUrl: string, body: BodyInit, headers: Record<string, string>, method = 'POST'): Promise<Response> {
  return fetch(`${baseUrl}/v1/logs`, { method, body: method === 'GET' ? undefined : body, headers });
}

export async function getJson<T = unknown>(baseUrl: string, pathAndQuery: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  return { status: response.status, body: (await response.json()) as T };
}

export interface EventsBody {
  events: Array<Record<string, unknown> & { eventName: string; userId: string }>;
  credentials?: Array<Record<string, unknown>>;
}

/**
 * Polls /api/v1/events until `count` events match (and, when given, `credentials` credential states
 * are listed), or returns the last answer after `timeoutMs`.
 */
/**
 * Polls the lookup API until `count` events (and `credentials` credential states, and `ready` when
 * given) are there, or the time is up. Why `ready`: the events of an insert become visible a moment
 * before the credential state its materialized view writes, so a test that checks that state must
 * wait for the state itself, not only for the events.
 */
export async function waitForEvents(
  baseUrl: string,
  query: string,
  count: number,
  timeoutMs = 2000,
  credentials = 0,
  ready: (body: EventsBody) => boolean = () => true,
): Promise<EventsBody> {
  const deadline = Date.now() + timeoutMs;
  let last: EventsBody = { events: [] };
  while (Date.now() < deadline) {
    const { status, body } = await getJson<EventsBody>(baseUrl, `/api/v1/events?${query}`);
    expect(status).toBe(200);
    last = body;
    if (body.events.length >= count && (body.credentials?.length ?? 0) >= credentials && ready(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

/** A protobuf varint, for payloads written byte by byte. */
export function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 127) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

/**
 * An ExportLogsServiceRequest of `count` empty LogRecords, written byte by byte (no protobufjs
 * objects): one ResourceLogs, one ScopeLogs, and `count` times `0x12 0x00` (ScopeLogs.log_records,
 * field 2, length 0). 8.3 M of them are the 16.6 MB that gzip to 16 KB.
 */
export function emptyRecordsProtobuf(count: number): Uint8Array<ArrayBuffer> {
  const recordsLength = count * 2;
  const scopeLogsHeader = [0x12, ...varint(recordsLength)];
  const header = [0x0a, ...varint(scopeLogsHeader.length + recordsLength), ...scopeLogsHeader];
  const out = new Uint8Array(header.length + recordsLength);
  out.set(header);
  for (let i = header.length; i < out.length; i += 2) out[i] = 0x12;
  return out;
}
