/**
 * OTLP/HTTP logs protobuf decoding (an ExportLogsServiceRequest) into the flat records of
 * ./decode-shared.ts, under the per-request limits of ./limits.ts.
 *
 * Decoded by hand with protobufjs' Reader rather than ExportLogsServiceRequest.decode: the generated
 * decoder materializes every message before anything can be counted, so 16 MiB of empty LogRecords
 * became 8 M objects (and a dead process). Here the records are counted first by skipping over them
 * (no allocation), and each record is built under the per-record limits, values beyond them skipped.
 */
import protobuf from 'protobufjs';
import { DecodeError, setAttribute, type AttributeValue, type Attributes, type DecodedLogRecord } from './decode-shared';
import { DEFAULT_LIMITS, keyLabel, LIMIT_VARIABLES, RecordBudget, resolveLimits, TooManyRecordsError, type IngestLimits } from './limits';
import type { PbLong } from './otlp-proto';

const { Reader } = protobuf;
type Reader = protobuf.Reader;

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

/** The end offset of the length-delimited field at the reader's position. */
function messageEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len)
    throw new WireError(`a length of ${length} bytes at offset ${reader.pos} runs past the end of the body (truncated?)`);
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
    else if (number === 2)
      value = pbValue(reader, messageEnd(reader), depth, budget, key ? `attribute '${keyLabel(key)}'` : 'an attribute');
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
          budget.flag(
            `${where}: bytes value longer than ${budget.limits.maxValueLength.toLocaleString('en-US')} bytes (${LIMIT_VARIABLES.maxValueLength})`,
          );
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
  budget.flag(
    `${where}: longer than ${budget.limits.maxValueLength.toLocaleString('en-US')} characters (${LIMIT_VARIABLES.maxValueLength})`,
  );
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
