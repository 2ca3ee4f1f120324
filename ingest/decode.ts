/**
 * OTLP/HTTP logs decoding, protobuf and JSON, into one flat shape: a list of log records, each
 * carrying its own resource attributes and scope name.
 *
 * Why by hand around the libraries: the OTLP JSON encoding differs from the protobuf JSON mapping
 * (trace/span ids are hex, not base64; enums are integers; 64-bit integers may be strings or
 * numbers), so JSON goes through a zod schema of the OTLP JSON format rather than protobufjs'
 * fromObject. Unknown fields are ignored in both encodings, as the specification requires.
 */
import { z } from 'zod';
import {
  ExportLogsServiceRequest,
  type PbAnyValue,
  type PbExportLogsServiceRequest,
  type PbKeyValue,
  type PbLong,
} from './otlp-proto';

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface DecodedLogRecord {
  /** Position in the request, 0-based, for partial-success messages. */
  index: number;
  /** Milliseconds since the epoch; 0 when the sender left the field unset. */
  timeMs: number;
  observedMs: number;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  /** Lowercase hex, '' when absent. */
  traceId: string;
  spanId: string;
  eventName: string;
  resource: Attributes;
  scopeName: string;
}

export class DecodeError extends Error {
  override name = 'DecodeError';
}

// ---------------------------------------------------------------------------------------------
// protobuf

const TWO_POW_32 = 4_294_967_296;

function longToNumber(value: PbLong | number | undefined, unsigned: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const low = value.low >>> 0;
  const high = unsigned ? value.high >>> 0 : value.high | 0;
  return high * TWO_POW_32 + low;
}

/** Exact: nanoseconds since the epoch exceed 2^53, so a float division can lose the last millisecond. */
function nanosToMs(value: PbLong | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Math.round(value / 1e6);
  const nanos = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return Number(nanos / 1_000_000n);
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes && bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '';
}

function pbValue(value: PbAnyValue | undefined): AttributeValue {
  if (!value) return null;
  switch (value.value) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'intValue': {
      const n = longToNumber(value.intValue, false);
      // Beyond 2^53 keep the exact decimal (long.js' toString) rather than a rounded number.
      return Number.isSafeInteger(n) ? n : String(value.intValue);
    }
    case 'doubleValue':
      return value.doubleValue ?? 0;
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(pbValue);
    case 'kvlistValue':
      return pbAttributes(value.kvlistValue?.values);
    case 'bytesValue':
      return value.bytesValue ? Buffer.from(value.bytesValue).toString('base64') : '';
    default:
      return null;
  }
}

function pbAttributes(list: PbKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  if (!list) return out;
  for (const kv of list) {
    if (kv.key) out[kv.key] = pbValue(kv.value);
  }
  return out;
}

export function decodeProtobuf(body: Uint8Array): DecodedLogRecord[] {
  let message: PbExportLogsServiceRequest;
  try {
    message = ExportLogsServiceRequest.decode(body) as unknown as PbExportLogsServiceRequest;
  } catch (error) {
    throw new DecodeError(`The body is not a valid ExportLogsServiceRequest protobuf: ${(error as Error).message}`);
  }
  const records: DecodedLogRecord[] = [];
  for (const resourceLogs of message.resourceLogs ?? []) {
    const resource = pbAttributes(resourceLogs.resource?.attributes);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scopeName = scopeLogs.scope?.name ?? '';
      for (const record of scopeLogs.logRecords ?? []) {
        records.push({
          index: records.length,
          timeMs: nanosToMs(record.timeUnixNano),
          observedMs: nanosToMs(record.observedTimeUnixNano),
          severityNumber: record.severityNumber ?? 0,
          severityText: record.severityText ?? '',
          body: record.body ? pbValue(record.body) : null,
          attributes: pbAttributes(record.attributes),
          traceId: hex(record.traceId),
          spanId: hex(record.spanId),
          eventName: record.eventName ?? '',
          resource,
          scopeName,
        });
      }
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// JSON (OTLP/JSON encoding: lowerCamelCase keys; the proto's snake_case names are accepted too)

/** Protobuf JSON parsers accept both the lowerCamelCase and the original field name. */
function camelKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (key.includes('_')) {
      out ??= { ...(value as Record<string, unknown>) };
      const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      if (!(camel in out)) out[camel] = out[key];
      delete out[key];
    }
  }
  return out ?? value;
}
const obj = <T extends z.ZodRawShape>(shape: T) => z.preprocess(camelKeys, z.object(shape));

const zInt64 = z.union([
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.string().regex(/^-?\d+$/, 'must be a decimal integer string'),
]);
const zUint64 = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+$/, 'must be a decimal unsigned integer string'),
]);
const zDouble = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
const zHexId = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^(|[0-9a-fA-F]{${bytes * 2}})$`), `must be ${bytes * 2} hexadecimal characters (OTLP/JSON ids are hex, not base64)`);

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
}
interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}

const zAnyValue: z.ZodType<JsonAnyValue> = z.lazy(() =>
  obj({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: zInt64.optional(),
    doubleValue: zDouble.optional(),
    arrayValue: obj({ values: z.array(zAnyValue).optional() }).optional(),
    kvlistValue: obj({ values: z.array(zKeyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
) as z.ZodType<JsonAnyValue>;
const zKeyValue: z.ZodType<JsonKeyValue> = z.lazy(() =>
  obj({ key: z.string(), value: zAnyValue.optional() }),
) as z.ZodType<JsonKeyValue>;

const SEVERITY_NAMES: Record<string, number> = Object.fromEntries(
  ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'].map(
    (name, number) => [`SEVERITY_NUMBER_${name}`, number],
  ),
);

const zLogRecord = obj({
  timeUnixNano: zUint64.optional(),
  observedTimeUnixNano: zUint64.optional(),
  severityNumber: z
    .union([z.number().int().min(0).max(24), z.enum(Object.keys(SEVERITY_NAMES) as [string, ...string[]])])
    .optional(),
  severityText: z.string().optional(),
  body: zAnyValue.optional(),
  attributes: z.array(zKeyValue).optional(),
  traceId: zHexId(16).optional(),
  spanId: zHexId(8).optional(),
  eventName: z.string().optional(),
});

export const zExportLogsServiceRequestJson = obj({
  resourceLogs: z
    .array(
      obj({
        resource: obj({ attributes: z.array(zKeyValue).optional() }).optional(),
        scopeLogs: z
          .array(
            obj({
              scope: obj({ name: z.string().optional(), version: z.string().optional() }).optional(),
              logRecords: z.array(zLogRecord).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

function jsonValue(value: JsonAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(jsonValue);
  if (value.kvlistValue !== undefined) return jsonAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function jsonAttributes(list: JsonKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = jsonValue(kv.value);
  return out;
}

function jsonNanosToMs(value: number | string | undefined): number {
  if (value === undefined) return 0;
  // A JSON number this large is already rounded by JSON.parse; a decimal string is exact.
  return typeof value === 'number' ? Math.round(value / 1e6) : Number(BigInt(value) / 1_000_000n);
}

export function decodeJson(text: string): DecodedLogRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = zExportLogsServiceRequestJson.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join('.') : '';
    throw new DecodeError(
      `The body is not an OTLP/JSON ExportLogsServiceRequest: ${where ? `${where}: ` : ''}${first?.message ?? 'invalid'}`,
    );
  }
  const records: DecodedLogRecord[] = [];
  for (const resourceLogs of parsed.data.resourceLogs ?? []) {
    const resource = jsonAttributes(resourceLogs.resource?.attributes);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scopeName = scopeLogs.scope?.name ?? '';
      for (const record of scopeLogs.logRecords ?? []) {
        const severity = record.severityNumber;
        records.push({
          index: records.length,
          timeMs: jsonNanosToMs(record.timeUnixNano),
          observedMs: jsonNanosToMs(record.observedTimeUnixNano),
          severityNumber: typeof severity === 'string' ? (SEVERITY_NAMES[severity] ?? 0) : (severity ?? 0),
          severityText: record.severityText ?? '',
          body: record.body ? jsonValue(record.body) : null,
          attributes: jsonAttributes(record.attributes),
          traceId: (record.traceId ?? '').toLowerCase(),
          spanId: (record.spanId ?? '').toLowerCase(),
          eventName: record.eventName ?? '',
          resource,
          scopeName,
        });
      }
    }
  }
  return records;
}
