/**
 * Per-request ingest limits in the decoders (ingest/limits.ts): the record cap refuses a request
 * before its records are built, and a record over a per-record limit is rejected alone, truncated.
 */
import { describe, expect, it } from 'vitest';
import { decodeJson, decodeProtobuf, DecodeError, type DecodedLogRecord } from '@/ingest/decode';
import { DEFAULT_LIMITS, TooManyRecordsError } from '@/ingest/limits';
import { ExportLogsServiceRequest } from '@/ingest/otlp-proto';
import { mapRecords } from '@/ingest/to-rows';
import { emptyRecordsProtobuf, varint } from '../helpers/otlp';

type Kv = { key: string; value: Record<string, unknown> };
const removal = (userId: string, extra: Kv[] = [], body?: Record<string, unknown>) => ({
  timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
  eventName: 'auth.password.removed',
  attributes: [{ key: 'user.id', value: { stringValue: userId } }, ...extra],
  ...(body ? { body } : {}),
});
const request = (records: unknown[], resource: Kv[] = [{ key: 'service.name', value: { stringValue: 'rp' } }]) => ({
  resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope: { name: 's' }, logRecords: records }] }],
});
const pb = (object: unknown) =>
  ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(object as Record<string, unknown>)).finish();
const json = (object: unknown) => JSON.stringify(object);

/** Decodes with both decoders and checks they agree on what they kept and what they flagged. */
function both(object: unknown): DecodedLogRecord[] {
  const fromPb = decodeProtobuf(pb(object));
  const fromJson = decodeJson(json(object));
  expect(fromJson.map((r) => r.limitViolation)).toEqual(fromPb.map((r) => r.limitViolation));
  return fromPb;
}

/** An AnyValue nested `levels` deep: kvlist → kvlist → … → string. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'bottom' };
  for (let i = 1; i < levels; i++) value = { kvlistValue: { values: [{ key: `level${levels - i}`, value }] } };
  return value;
}

const many = (count: number): Kv[] => Array.from({ length: count }, (_, i) => ({ key: `custom.${i}`, value: { intValue: String(i) } }));

describe('records per request', () => {
  it('refuses a million empty protobuf records before building them, fast and in bounded memory', () => {
    const body = emptyRecordsProtobuf(1_000_000);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    expect(() => decodeProtobuf(body)).toThrow(TooManyRecordsError);
    expect(performance.now() - started).toBeLessThan(1000);
    // 1 M decoded records would take hundreds of MB; counting them takes nothing.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
  });

  it('names the limit and its variable', () => {
    expect(() => decodeProtobuf(emptyRecordsProtobuf(DEFAULT_LIMITS.maxRecords + 1))).toThrow(
      /more than 10,000 log records \(INGEST_MAX_RECORDS\)/,
    );
  });

  it('accepts exactly the cap, and honours a configured cap', () => {
    expect(decodeProtobuf(emptyRecordsProtobuf(DEFAULT_LIMITS.maxRecords))).toHaveLength(DEFAULT_LIMITS.maxRecords);
    expect(() => decodeProtobuf(emptyRecordsProtobuf(6), { maxRecords: 5 })).toThrow(TooManyRecordsError);
  });

  it('counts records across resource and scope groups, in JSON too (camelCase and snake_case)', () => {
    const twoGroups = {
      resourceLogs: [{ scopeLogs: [{ logRecords: [{}, {}] }, { logRecords: [{}] }] }, { scopeLogs: [{ logRecords: [{}] }] }],
    };
    const snakeCase = {
      resource_logs: [{ scope_logs: [{ log_records: [{}, {}] }, { logRecords: [{}] }] }, { scope_logs: [{ log_records: [{}] }] }],
    };
    for (const text of [json(twoGroups), json(snakeCase)]) {
      expect(decodeJson(text)).toHaveLength(4);
      expect(() => decodeJson(text, { maxRecords: 3 })).toThrow(TooManyRecordsError);
    }
    expect(decodeProtobuf(pb(twoGroups))).toHaveLength(4);
    expect(() => decodeProtobuf(pb(twoGroups), { maxRecords: 3 })).toThrow(TooManyRecordsError);
  });

  it('refuses 16 MiB of empty JSON records by count', () => {
    const text = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${'{},'.repeat(2_000_000)}{}]}]}]}`;
    const started = performance.now();
    expect(() => decodeJson(text)).toThrow(TooManyRecordsError);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('still rejects a malformed protobuf as a DecodeError', () => {
    const body = emptyRecordsProtobuf(10);
    expect(() => decodeProtobuf(body.subarray(0, body.length - 3))).toThrow(DecodeError);
  });
});

describe('attributes per record', () => {
  it('rejects only the record over the cap, keeping the batch, and truncates it', () => {
    const records = both(request([removal('u_ok'), removal('u_many', many(300)), removal('u_ok2')]));
    expect(records.map((r) => r.limitViolation)).toEqual([
      undefined,
      expect.stringMatching(/more than 256 attribute values \(INGEST_MAX_ATTRIBUTES/),
      undefined,
    ]);
    expect(Object.keys(records[1]!.attributes)).toHaveLength(256);
    const { rows, rejections } = mapRecords(records);
    expect(rows).toHaveLength(2);
    expect(rejections).toMatchObject([{ index: 1, reason: 'limit_exceeded', eventName: 'auth.password.removed' }]);
  });

  it('counts array and map elements at any depth', () => {
    const array = { arrayValue: { values: Array.from({ length: 300 }, (_, i) => ({ intValue: String(i) })) } };
    const [record] = both(request([removal('u', [{ key: 'list', value: array }])]));
    expect(record!.limitViolation).toMatch(/INGEST_MAX_ATTRIBUTES/);
    expect((record!.attributes.list as unknown[]).length).toBeLessThan(256);
  });

  it('accepts a record at the cap', () => {
    const [record] = both(request([removal('u', many(255))]));
    expect(record!.limitViolation).toBeUndefined();
  });
});

describe('value length', () => {
  it('rejects a string attribute longer than 16 KiB and keeps its first 16 KiB', () => {
    const long = 'x'.repeat(DEFAULT_LIMITS.maxValueLength + 1);
    const [ok, tooLong] = both(
      request([
        removal('u', [{ key: 'note', value: { stringValue: 'x'.repeat(DEFAULT_LIMITS.maxValueLength) } }]),
        removal('u', [{ key: 'note', value: { stringValue: long } }]),
      ]),
    );
    expect(ok!.limitViolation).toBeUndefined();
    expect(tooLong!.limitViolation).toBe("attribute 'note': longer than 16,384 characters (INGEST_MAX_VALUE_LENGTH)");
    expect(tooLong!.attributes.note).toHaveLength(DEFAULT_LIMITS.maxValueLength);
  });

  it('applies to keys, the body, the event name and nested values', () => {
    const long = 'y'.repeat(20_000);
    const records = both(
      request([
        removal('u', [{ key: long, value: { boolValue: true } }]),
        removal('u', [], { stringValue: long }),
        { ...removal('u'), eventName: long },
        removal('u', [{ key: 'm', value: { kvlistValue: { values: [{ key: 'inner', value: { stringValue: long } }] } } }]),
      ]),
    );
    expect(records.map((r) => r.limitViolation)).toEqual([
      expect.stringMatching(/^attribute key: longer/),
      expect.stringMatching(/^body: longer/),
      expect.stringMatching(/^eventName: longer/),
      expect.stringMatching(/^attribute 'inner': longer/),
    ]);
  });

  it('a resource attribute over the limit rejects the records of its resource', () => {
    const records = both(request([removal('a'), removal('b')], [{ key: 'service.name', value: { stringValue: 'z'.repeat(20_000) } }]));
    expect(records.map((r) => r.limitViolation)).toEqual([
      expect.stringMatching(/^resource: attribute 'service.name'/),
      expect.stringMatching(/^resource:/),
    ]);
  });
});

describe('nesting depth', () => {
  it('accepts 8 levels and rejects 9, cutting the value at the limit', () => {
    const [ok, deep] = both(
      request([removal('u', [{ key: 'deep', value: nested(8) }]), removal('u', [{ key: 'deep', value: nested(9) }])]),
    );
    expect(ok!.limitViolation).toBeUndefined();
    expect(deep!.limitViolation).toBe("attribute 'level8': nested deeper than 8 levels (INGEST_MAX_DEPTH)");
    expect(JSON.stringify(deep!.attributes)).not.toContain('bottom');
  });

  it('survives nesting far deeper than the stack in both encodings: protobuf rejects the record, JSON refuses the request', () => {
    const levels = 100_000;
    const deepJsonText = (depth: number) =>
      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"eventName":"auth.password.removed","attributes":[{"key":"d","value":${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}{"stringValue":"x"}${'}]}}'.repeat(depth)}}]}]}]}]}`;
    // JSON nesting past the pre-parse bound (64 levels by default, ingest/json-scan.ts) is refused whole, before JSON.parse.
    expect(() => decodeJson(deepJsonText(levels))).toThrow(DecodeError);
    expect(() => decodeJson(deepJsonText(levels))).toThrow(/deeper than 64 levels.*INGEST_MAX_DEPTH/);
    // Within the bound (4 × 12 + 10 = 58 levels), a value past INGEST_MAX_DEPTH only rejects its record.
    expect(decodeJson(deepJsonText(12))[0]!.limitViolation).toMatch(/^attribute 'k': nested deeper than 8 levels/);
    const [decoded] = decodeProtobuf(recordWithDeepArray(levels));
    expect(decoded!.limitViolation).toMatch(/^attribute 'd': nested deeper than 8 levels/);
  });
});

/**
 * A request whose one record has an attribute `d` = array in array in … `levels` deep, written by
 * hand (protobufjs' encoder would recurse): sizes computed inside out, bytes written outside in.
 */
function recordWithDeepArray(levels: number): Uint8Array {
  const anyValueSizes = [2]; // the innermost AnyValue{string_value: ""}: 0x0a 0x00
  const arraySizes: number[] = [];
  for (let i = 0; i < levels; i++) {
    const inner = anyValueSizes[i]!;
    const array = 1 + varint(inner).length + inner; // ArrayValue{values (field 1): inner}
    arraySizes.push(array);
    anyValueSizes.push(1 + varint(array).length + array); // AnyValue{array_value (field 5)}
  }
  const value = anyValueSizes[levels]!;
  const kv = 3 + 1 + varint(value).length + value; // KeyValue{key: "d", value}
  const record = 1 + varint(kv).length + kv;
  const scopeLogs = 1 + varint(record).length + record;
  const bytes = [
    ...[0x0a, ...varint(1 + varint(scopeLogs).length + scopeLogs)], // resource_logs
    ...[0x12, ...varint(scopeLogs)], // scope_logs
    ...[0x12, ...varint(record)], // log_records
    ...[0x32, ...varint(kv)], // attributes
    ...[0x0a, 0x01, 0x64, 0x12, ...varint(value)], // key "d", value
  ];
  const out = new Uint8Array(bytes.length + value);
  out.set(bytes);
  let at = bytes.length;
  for (let i = levels - 1; i >= 0; i--) {
    for (const b of [0x2a, ...varint(arraySizes[i]!), 0x0a, ...varint(anyValueSizes[i]!)]) out[at++] = b;
  }
  out[at++] = 0x0a;
  out[at++] = 0x00;
  expect(at).toBe(out.length);
  return out;
}

describe('quarantine copy', () => {
  it('a rejected record carries its truncated fields to the quarantine', () => {
    const records = decodeJson(json(request([removal('u_q', many(1000))])));
    const [rejection] = mapRecords(records).rejections;
    expect(rejection?.reason).toBe('limit_exceeded');
    expect(JSON.stringify(rejection?.record.attributes).length).toBeLessThan(16 * 1024);
    expect(rejection?.record.attributes['user.id']).toBe('u_q');
  });
});
