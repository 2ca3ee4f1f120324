/**
 * OTLP/HTTP logs JSON decoding (the OTLP/JSON encoding: lowerCamelCase keys; the proto's snake_case
 * names are accepted too) into the flat records of ./decode-shared.ts, under the per-request limits
 * of ./limits.ts: the text is pre-scanned (./json-scan.ts) before JSON.parse, then validated with a
 * zod schema of the OTLP JSON format (not protobufjs' fromObject: trace/span ids are hex, enums
 * integers, 64-bit integers strings or numbers).
 */
import { z } from 'zod';
import { DecodeError, setAttribute, type AttributeValue, type Attributes, type DecodedLogRecord } from './decode-shared';
import { JsonNestingError, scanOtlpJson } from './json-scan';
import { DEFAULT_LIMITS, keyLabel, RecordBudget, resolveLimits, TooManyRecordsError, type IngestLimits } from './limits';

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
const zUint64 = z.union([z.number().nonnegative(), z.string().regex(/^\d+$/, 'must be a decimal unsigned integer string')]);
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
const zKeyValue: z.ZodType<JsonKeyValue> = z.lazy(() => obj({ key: z.string(), value: zAnyValue.optional() })) as z.ZodType<JsonKeyValue>;

const SEVERITY_NAMES: Record<string, number> = Object.fromEntries(
  [
    'UNSPECIFIED',
    'TRACE',
    'TRACE2',
    'TRACE3',
    'TRACE4',
    'DEBUG',
    'DEBUG2',
    'DEBUG3',
    'DEBUG4',
    'INFO',
    'INFO2',
    'INFO3',
    'INFO4',
    'WARN',
    'WARN2',
    'WARN3',
    'WARN4',
    'ERROR',
    'ERROR2',
    'ERROR3',
    'ERROR4',
    'FATAL',
    'FATAL2',
    'FATAL3',
    'FATAL4',
  ].map((name, number) => [`SEVERITY_NUMBER_${name}`, number]),
);

const zLogRecord = obj({
  timeUnixNano: zUint64.optional(),
  observedTimeUnixNano: zUint64.optional(),
  severityNumber: z.union([z.number().int().min(0).max(24), z.enum(Object.keys(SEVERITY_NAMES) as [string, ...string[]])]).optional(),
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
          // A body past the budget is dropped like one that breaks a limit (as the protobuf decoder does).
          if (isObject(record.body) && (!budget.takeValue() || !clipJsonValue(record.body, 1, budget, 'body'))) record.body = {};
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
