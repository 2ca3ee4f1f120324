/**
 * OTLP/HTTP logs decoding, protobuf and JSON, into one flat shape: a list of log records, each
 * carrying its own resource attributes and scope name.
 *
 * Why by hand around the libraries: the OTLP JSON encoding differs from the protobuf JSON mapping
 * (trace/span ids are hex, not base64; enums are integers; 64-bit integers may be strings or
 * numbers), so JSON goes through a zod schema of the OTLP JSON format rather than protobufjs'
 * fromObject. Unknown fields are ignored in both encodings, as the specification requires.
 *
 * Both decoders enforce the per-request limits of ./limits.ts: the records are counted before any
 * is built (TooManyRecordsError; for JSON by a scan of the text before JSON.parse, ./json-scan.ts), and a record over a per-record limit comes out truncated with
 * `limitViolation` set, so the row mapper rejects it alone.
 */
import protobuf from 'protobufjs';
import { z } from 'zod';
import {
  DEFAULT_LIMITS,
  keyLabel,
  LIMIT_VARIABLES,
  RecordBudget,
  resolveLimits,
  TooManyRecordsError,
  type IngestLimits,
} from './limits';
import { JsonNestingError, scanOtlpJson } from './json-scan';
import type { PbLong } from './otlp-proto';

const { Reader } = protobuf;
type Reader = protobuf.Reader;

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
  /** Set when the record broke a per-record limit (ingest/limits.ts): it is then rejected, and its fields are truncated. */
  limitViolation?: string;
}

export class DecodeError extends Error {
  override name = 'DecodeError';
}

// ---------------------------------------------------------------------------------------------
// protobuf
//
// Decoded by hand with protobufjs' Reader rather than ExportLogsServiceRequest.decode: the generated
// decoder materializes every message before anything can be counted, so 16 MiB of empty LogRecords
// became 8 M objects (and a dead process). Here the records are counted first by skipping over them
// (no allocation), and each record is built under the per-record limits, values beyond them skipped.

const TWO_POW_32 = 4_294_967_296;
/** A malformed wire structure; reported as a DecodeError naming the request type. */
class WireError extends Error {}
const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

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

/** Exact decimal of a signed 64-bit integer. */
function longToDecimal(value: PbLong): string {
  return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)).toString();
}

function hex(bytes: Uint8Array): string {
  return bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '';
}

/** `out[key] = value`, except that a key named `__proto__` stays an own property. */
function setAttribute(out: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** The end offset of the length-delimited field at the reader's position. */
function messageEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) throw new WireError(`a length of ${length} bytes at offset ${reader.pos} runs past the end of the body (truncated?)`);
  return end;
}

/** Calls `field(number, wireType)` for each field up to `end`; unhandled fields (false) are skipped. */
function eachField(reader: Reader, end: number, field: (number: number, wireType: number) => boolean): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new WireError(`invalid field number 0 at offset ${reader.pos}`);
    if (!field(number, wireType)) reader.skipType(wireType);
  }
  if (reader.pos !== end) throw new WireError('a field runs past the end of its message');
}

/** Counts the LogRecords of a request by skipping over them; throws once there are more than `max`. */
export function countProtobufRecords(body: Uint8Array, max: number): number {
  let count = 0;
  const reader = Reader.create(body);
  eachField(reader, reader.len, (number, wireType) => {
    if (number !== 1 || wireType !== WIRE.LEN) return false;
    eachField(reader, messageEnd(reader), (rlNumber, rlWire) => {
      if (rlNumber !== 2 || rlWire !== WIRE.LEN) return false;
      eachField(reader, messageEnd(reader), (slNumber, slWire) => {
        if (slNumber !== 2 || slWire !== WIRE.LEN) return false;
        count += 1;
        if (count > max) throw new TooManyRecordsError(max);
        reader.pos = messageEnd(reader);
        return true;
      });
      return true;
    });
    return true;
  });
  return count;
}

function pbKeyValue(reader: Reader, end: number, out: Attributes, depth: number, budget: RecordBudget): void {
  if (!budget.takeValue()) {
    reader.pos = end;
    return;
  }
  let key = '';
  let value: AttributeValue = null;
  eachField(reader, end, (number, wireType) => {
    if (wireType !== WIRE.LEN) return false;
    if (number === 1) key = budget.clip(reader.string(), 'attribute key');
    else if (number === 2) value = pbValue(reader, messageEnd(reader), depth, budget, key ? `attribute '${keyLabel(key)}'` : 'an attribute');
    else return false;
    return true;
  });
  if (key) setAttribute(out, key, value);
}

function pbValue(reader: Reader, end: number, depth: number, budget: RecordBudget, where: string): AttributeValue {
  if (!budget.allowDepth(depth, where)) {
    reader.pos = end;
    return null;
  }
  let value: AttributeValue = null;
  eachField(reader, end, (number, wireType) => {
    switch (number) {
      case 1:
        if (wireType !== WIRE.LEN) return false;
        value = budget.clip(reader.string(), where);
        return true;
      case 2:
        if (wireType !== WIRE.VARINT) return false;
        value = reader.bool();
        return true;
      case 3: {
        if (wireType !== WIRE.VARINT) return false;
        const long = reader.int64() as unknown as PbLong | number;
        const n = longToNumber(long, false);
        // Beyond 2^53 keep the exact decimal rather than a rounded number.
        value = Number.isSafeInteger(n) || typeof long === 'number' ? n : longToDecimal(long);
        return true;
      }
      case 4:
        if (wireType !== WIRE.I64) return false;
        value = reader.double();
        return true;
      case 5: {
        if (wireType !== WIRE.LEN) return false;
        const values: AttributeValue[] = [];
        eachField(reader, messageEnd(reader), (element, elementWire) => {
          if (element !== 1 || elementWire !== WIRE.LEN) return false;
          const elementEnd = messageEnd(reader);
          if (budget.takeValue()) values.push(pbValue(reader, elementEnd, depth + 1, budget, where));
          else reader.pos = elementEnd;
          return true;
        });
        value = values;
        return true;
      }
      case 6: {
        if (wireType !== WIRE.LEN) return false;
        const map: Attributes = {};
        eachField(reader, messageEnd(reader), (entry, entryWire) => {
          if (entry !== 1 || entryWire !== WIRE.LEN) return false;
          pbKeyValue(reader, messageEnd(reader), map, depth + 1, budget);
          return true;
        });
        value = map;
        return true;
      }
      case 7: {
        if (wireType !== WIRE.LEN) return false;
        let bytes = reader.bytes();
        if (bytes.length > budget.limits.maxValueLength) {
          budget.flag(`${where}: bytes value longer than ${budget.limits.maxValueLength.toLocaleString('en-US')} bytes (${LIMIT_VARIABLES.maxValueLength})`);
          bytes = bytes.subarray(0, budget.limits.maxValueLength);
        }
        value = Buffer.from(bytes).toString('base64');
        return true;
      }
      default:
        return false;
    }
  });
  return value;
}

/** Reads a length-delimited id (trace or span) as hex, cut to the value length limit. */
function pbId(reader: Reader, budget: RecordBudget, where: string): string {
  const bytes = reader.bytes();
  if (bytes.length * 2 <= budget.limits.maxValueLength) return hex(bytes);
  budget.flag(`${where}: longer than ${budget.limits.maxValueLength.toLocaleString('en-US')} characters (${LIMIT_VARIABLES.maxValueLength})`);
  return hex(bytes.subarray(0, Math.floor(budget.limits.maxValueLength / 2)));
}

const EMPTY: Attributes = Object.freeze({}) as Attributes;

function pbLogRecord(reader: Reader, end: number, index: number, limits: IngestLimits): DecodedLogRecord {
  const budget = new RecordBudget(limits);
  const record: DecodedLogRecord = {
    index,
    timeMs: 0,
    observedMs: 0,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: {},
    traceId: '',
    spanId: '',
    eventName: '',
    resource: EMPTY,
    scopeName: '',
  };
  eachField(reader, end, (number, wireType) => {
    switch (number) {
      case 1:
      case 11:
        if (wireType !== WIRE.I64) return false;
        if (number === 1) record.timeMs = nanosToMs(reader.fixed64() as unknown as PbLong | number);
        else record.observedMs = nanosToMs(reader.fixed64() as unknown as PbLong | number);
        return true;
      case 2:
        if (wireType !== WIRE.VARINT) return false;
        record.severityNumber = reader.int32();
        return true;
      case 3:
        if (wireType !== WIRE.LEN) return false;
        record.severityText = budget.clip(reader.string(), 'severityText');
        return true;
      case 5:
        if (wireType !== WIRE.LEN) return false;
        if (budget.takeValue()) record.body = pbValue(reader, messageEnd(reader), 1, budget, 'body');
        else reader.skipType(WIRE.LEN);
        return true;
      case 6:
        if (wireType !== WIRE.LEN) return false;
        pbKeyValue(reader, messageEnd(reader), record.attributes, 1, budget);
        return true;
      case 9:
      case 10:
        if (wireType !== WIRE.LEN) return false;
        if (number === 9) record.traceId = pbId(reader, budget, 'traceId');
        else record.spanId = pbId(reader, budget, 'spanId');
        return true;
      case 12:
        if (wireType !== WIRE.LEN) return false;
        record.eventName = budget.clip(reader.string(), 'eventName');
        return true;
      default:
        return false;
    }
  });
  if (budget.violation) record.limitViolation = budget.violation;
  return record;
}

/** Resource or scope problems reject every record they apply to, each keeping its own first problem. */
function flagAll(records: DecodedLogRecord[], from: number, violation: string | undefined): void {
  if (!violation) return;
  for (let i = from; i < records.length; i++) records[i]!.limitViolation ??= violation;
}

export function decodeProtobuf(body: Uint8Array, limits: Partial<IngestLimits> = DEFAULT_LIMITS): DecodedLogRecord[] {
  const resolved = resolveLimits(limits);
  const records: DecodedLogRecord[] = [];
  try {
    countProtobufRecords(body, resolved.maxRecords);
    const reader = Reader.create(body);
    eachField(reader, reader.len, (number, wireType) => {
      if (number !== 1 || wireType !== WIRE.LEN) return false;
      const firstOfResource = records.length;
      const resource: Attributes = {};
      const resourceBudget = new RecordBudget(resolved);
      eachField(reader, messageEnd(reader), (rlNumber, rlWire) => {
        if (rlWire !== WIRE.LEN) return false;
        if (rlNumber === 1) {
          eachField(reader, messageEnd(reader), (resNumber, resWire) => {
            if (resNumber !== 1 || resWire !== WIRE.LEN) return false;
            pbKeyValue(reader, messageEnd(reader), resource, 1, resourceBudget);
            return true;
          });
          return true;
        }
        if (rlNumber !== 2) return false;
        const firstOfScope = records.length;
        const scopeBudget = new RecordBudget(resolved);
        let scopeName = '';
        eachField(reader, messageEnd(reader), (slNumber, slWire) => {
          if (slWire !== WIRE.LEN) return false;
          if (slNumber === 1) {
            eachField(reader, messageEnd(reader), (scNumber, scWire) => {
              if (scNumber !== 1 || scWire !== WIRE.LEN) return false;
              scopeName = scopeBudget.clip(reader.string(), 'scope name');
              return true;
            });
            return true;
          }
          if (slNumber !== 2) return false;
          records.push(pbLogRecord(reader, messageEnd(reader), records.length, resolved));
          return true;
        });
        for (let i = firstOfScope; i < records.length; i++) records[i]!.scopeName = scopeName;
        flagAll(records, firstOfScope, scopeBudget.violation && `scope: ${scopeBudget.violation}`);
        return true;
      });
      // Fields may come in any order: the resource applies to every record of its ResourceLogs.
      for (let i = firstOfResource; i < records.length; i++) records[i]!.resource = resource;
      flagAll(records, firstOfResource, resourceBudget.violation && `resource: ${resourceBudget.violation}`);
      return true;
    });
  } catch (error) {
    if (error instanceof TooManyRecordsError) throw error;
    throw new DecodeError(`The body is not a valid ExportLogsServiceRequest protobuf: ${(error as Error).message}`);
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

// Limits on the parsed JSON, before zod. The text was pre-scanned (./json-scan.ts), so JSON.parse
// never builds more records than the cap nor nests past a fixed bound; but validating values
// nested past maxDepth with a recursive schema is still wasted work, and the per-record limits
// must truncate rather than refuse. So the records are counted again on the raw arrays (exactly:
// the scan's count is an upper bound), and each record's attributes and body are walked (never
// deeper than maxDepth) and truncated in place when over a limit.

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A field by its lowerCamelCase name, else its proto name (the camelCase one wins, as in the schema). */
function field(object: JsonObject, camel: string, snake: string): { key: string; value: unknown } {
  return camel in object ? { key: camel, value: object[camel] } : { key: snake, value: object[snake] };
}
function list(object: unknown, camel: string, snake: string): unknown[] {
  if (!isObject(object)) return [];
  const { value } = field(object, camel, snake);
  return Array.isArray(value) ? value : [];
}

function clipJsonString(object: JsonObject, camel: string, snake: string, budget: RecordBudget, where: string): void {
  const { key, value } = field(object, camel, snake);
  if (typeof value === 'string' && value.length > budget.limits.maxValueLength) object[key] = budget.clip(value, where);
}

function clipJsonKeyValues(values: unknown, depth: number, budget: RecordBudget): void {
  if (!Array.isArray(values)) return;
  let kept = values.length;
  for (let i = 0; i < values.length; i++) {
    if (!budget.takeValue()) {
      kept = Math.min(kept, i);
      break;
    }
    const kv = values[i];
    if (!isObject(kv)) continue;
    if (typeof kv.key === 'string') clipJsonString(kv, 'key', 'key', budget, 'attribute key');
    const where = typeof kv.key === 'string' ? `attribute '${keyLabel(kv.key)}'` : 'an attribute';
    if (isObject(kv.value) && !clipJsonValue(kv.value, depth, budget, where)) kv.value = {};
  }
  values.length = kept;
}

/** Clips one AnyValue in place; false when it is nested too deep and must be dropped. */
function clipJsonValue(value: JsonObject, depth: number, budget: RecordBudget, where: string): boolean {
  if (!budget.allowDepth(depth, where)) return false;
  clipJsonString(value, 'stringValue', 'string_value', budget, where);
  clipJsonString(value, 'bytesValue', 'bytes_value', budget, where);
  const array = field(value, 'arrayValue', 'array_value').value;
  if (isObject(array) && Array.isArray(array.values)) {
    const elements = array.values;
    let kept = 0;
    for (const element of elements) {
      if (!budget.takeValue()) break;
      elements[kept++] = isObject(element) && !clipJsonValue(element, depth + 1, budget, where) ? {} : element;
    }
    elements.length = kept;
  }
  const kvlist = field(value, 'kvlistValue', 'kvlist_value').value;
  if (isObject(kvlist)) clipJsonKeyValues(kvlist.values, depth + 1, budget);
  return true;
}

/** Throws TooManyRecordsError, and truncates records over a per-record limit; their problems by record index. */
function enforceJsonLimits(raw: unknown, limits: IngestLimits): Map<number, string> {
  const resourceLogsList = list(raw, 'resourceLogs', 'resource_logs');
  let count = 0;
  for (const resourceLogs of resourceLogsList) {
    for (const scopeLogs of list(resourceLogs, 'scopeLogs', 'scope_logs')) {
      count += list(scopeLogs, 'logRecords', 'log_records').length;
      if (count > limits.maxRecords) throw new TooManyRecordsError(limits.maxRecords);
    }
  }
  const violations = new Map<number, string>();
  let index = 0;
  for (const resourceLogs of resourceLogsList) {
    const resourceBudget = new RecordBudget(limits);
    const resource = isObject(resourceLogs) ? resourceLogs.resource : undefined;
    if (isObject(resource)) clipJsonKeyValues(resource.attributes, 1, resourceBudget);
    for (const scopeLogs of list(resourceLogs, 'scopeLogs', 'scope_logs')) {
      const scopeBudget = new RecordBudget(limits);
      const scope = isObject(scopeLogs) ? scopeLogs.scope : undefined;
      if (isObject(scope)) clipJsonString(scope, 'name', 'name', scopeBudget, 'scope name');
      for (const record of list(scopeLogs, 'logRecords', 'log_records')) {
        const budget = new RecordBudget(limits);
        if (isObject(record)) {
          clipJsonString(record, 'eventName', 'event_name', budget, 'eventName');
          clipJsonString(record, 'severityText', 'severity_text', budget, 'severityText');
          clipJsonKeyValues(record.attributes, 1, budget);
          if (isObject(record.body) && budget.takeValue() && !clipJsonValue(record.body, 1, budget, 'body')) record.body = {};
        }
        const violation =
          budget.violation ??
          (resourceBudget.violation && `resource: ${resourceBudget.violation}`) ??
          (scopeBudget.violation && `scope: ${scopeBudget.violation}`);
        if (violation) violations.set(index, violation);
        index += 1;
      }
    }
  }
  return violations;
}

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
  for (const kv of list ?? []) setAttribute(out, kv.key, jsonValue(kv.value));
  return out;
}

function jsonNanosToMs(value: number | string | undefined): number {
  if (value === undefined) return 0;
  // A JSON number this large is already rounded by JSON.parse; a decimal string is exact.
  return typeof value === 'number' ? Math.round(value / 1e6) : Number(BigInt(value) / 1_000_000n);
}

export function decodeJson(text: string, limits: Partial<IngestLimits> = DEFAULT_LIMITS): DecodedLogRecord[] {
  const resolved = resolveLimits(limits);
  // Records, groups and nesting are bounded on the text, before JSON.parse builds any of it.
  try {
    scanOtlpJson(text, resolved);
  } catch (error) {
    if (error instanceof JsonNestingError) throw new DecodeError(error.message);
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const violations = enforceJsonLimits(raw, resolved);
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
        const limitViolation = violations.get(records.length);
        records.push({
          ...(limitViolation ? { limitViolation } : {}),
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
