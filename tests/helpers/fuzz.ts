/**
 * Fuzzing helpers: a seeded PRNG (so every failure is reproducible: FUZZ_SEED=<seed>), random
 * strings of the kinds that break parsers, random OTLP log batches rendered both as OTLP/JSON and as
 * protobuf from one model, and mutations of text and bytes.
 */
import fs from 'node:fs';
import { ExportLogsServiceRequest } from '@/ingest/otlp-proto';
import { varint } from './otlp';

/** mulberry32: small, fast, good enough to drive a fuzzer; the same seed gives the same cases. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** The seed CI runs with, so that a run is repeatable; FUZZ_SEED=random explores new cases. */
export const DEFAULT_FUZZ_SEED = 20_261_204;

/** FUZZ_SEED when set (a number to replay a failure, `random` for a fresh seed), else DEFAULT_FUZZ_SEED. */
export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv && /^\d+$/.test(fromEnv)) return Number(fromEnv) >>> 0;
  if (fromEnv === 'random') return Math.floor(Math.random() * 4_294_967_296) >>> 0;
  return DEFAULT_FUZZ_SEED;
}

/** Runs one case; a failure names the seed and the case so that it can be replayed. */
export function replayable(seed: number, label: string, caseIndex: number, run: () => void): void {
  try {
    run();
  } catch (error) {
    const input = (globalThis as Record<string, unknown>).lastFuzzInput;
    // FUZZ_DUMP=<file>: also write the failing input a test stored in globalThis.lastFuzzInput
    if (process.env.FUZZ_DUMP && input) fs.writeFileSync(process.env.FUZZ_DUMP, JSON.stringify(input));
    const message = `${label} case ${caseIndex} failed (replay: FUZZ_SEED=${seed}): ${(error as Error).message}`;
    const wrapped = new Error(message, { cause: error });
    wrapped.stack = `${message}\n${(error as Error).stack ?? ''}`;
    throw wrapped;
  }
}

const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/+@%()[]{},;"\'\\<>=!?*#&|~`^$';
const SPECIAL = [
  '',
  ' ',
  '\u0000',
  '\n\r\t',
  '"',
  '\\',
  '\\u0000',
  '\u202Eevil\u202C',
  '🔑💥👩‍💻',
  '\uD800', // a lone surrogate
  '\uDC00x',
  '\uFEFF',
  'ｆｕｌｌ＠ｗｉｄｔｈ',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  '-0',
  '1e309',
  '99999999999999999999999',
  '-9223372036854775808',
  'null',
  'true',
  '{}',
  '[]',
  "'; DROP TABLE ceremony_events; --",
  '{from:String}',
  'alice@example.com',
  '+1 (415) 555-0123',
  '4155550123',
  '10.0.19045',
  '131.0.6778.85',
  '2026-11-25T12:00:00Z',
  'passkey.registration',
  'resourceLogs',
  'scopeLogs',
  'logRecords',
  'log_records',
];

/** A random string: printable, special values, unicode, or (with `longChance`) 100 to 20,000 characters. */
export function randomString(rng: Rng, maxLength = 40, longChance = 0.1): string {
  if (rng.chance(longChance)) return rng.pick(['x', 'é', '🔑', '[', '{"a":']).repeat(rng.pick([100, 1000, 5000, 20_000]));
  const kind = rng.int(9);
  if (kind < 4) {
    let out = '';
    const length = rng.int(maxLength + 1);
    for (let i = 0; i < length; i++) out += PRINTABLE[rng.int(PRINTABLE.length)];
    return out;
  }
  if (kind < 7) return rng.pick(SPECIAL);
  let out = '';
  const length = rng.int(maxLength + 1);
  for (let i = 0; i < length; i++) out += String.fromCharCode(rng.int(0x10000));
  return out;
}

/** The string with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, ES2024). */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A string without lone surrogates (it survives a UTF-8 round trip unchanged); long ones are rare. */
export function wellFormedString(rng: Rng, maxLength = 40): string {
  return wellFormed(randomString(rng, maxLength, 0.005));
}

// ---- OTLP batches: one model, two encodings ----------------------------------------------------

/** An AnyValue in protobufjs' object form (bytes as Uint8Array, ints as numbers or decimal strings). */
export type PbAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: number | string }
  | { doubleValue: number }
  | { bytesValue: Uint8Array }
  | { arrayValue: { values: PbAnyValue[] } }
  | { kvlistValue: { values: PbKeyValue[] } };
export interface PbKeyValue {
  key: string;
  value: PbAnyValue;
}
export interface PbLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: PbAnyValue;
  attributes: PbKeyValue[];
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}
export interface PbRequest {
  resourceLogs: Array<{ resource: { attributes: PbKeyValue[] }; scopeLogs: Array<{ scope: { name: string }; logRecords: PbLogRecord[] }> }>;
}

function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.int(256);
  return out;
}

export function randomAnyValue(rng: Rng, depth: number, maxDepth: number): PbAnyValue {
  const kind = rng.int(depth >= maxDepth ? 5 : 7);
  switch (kind) {
    case 0:
      return { stringValue: wellFormedString(rng) };
    case 1:
      return { boolValue: rng.chance(0.5) };
    case 2:
      return { intValue: rng.pick([0, 1, -1, rng.int(1_000_000), '9007199254740993', '-9223372036854775808', '9223372036854775807']) };
    case 3:
      return { doubleValue: rng.pick([0, 1.5, -2.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, rng.next()]) };
    case 4:
      return { bytesValue: randomBytes(rng, rng.int(12)) };
    case 5:
      return { arrayValue: { values: Array.from({ length: rng.int(4) }, () => randomAnyValue(rng, depth + 1, maxDepth)) } };
    default:
      return { kvlistValue: { values: randomKeyValues(rng, rng.int(4), depth + 1, maxDepth) } };
  }
}

const KEYS = [
  'user.id',
  'session.id',
  'auth.flow.id',
  'webauthn.ceremony.id',
  'passkey.result',
  'os.version',
  'rp.custom',
  'event.name',
  '__proto__',
  'a',
];

export function randomKeyValues(rng: Rng, count: number, depth: number, maxDepth: number): PbKeyValue[] {
  return Array.from({ length: count }, () => ({
    // Never empty: the protobuf decoder drops an attribute without a key, the JSON one keeps it.
    key: rng.chance(0.5) ? rng.pick(KEYS) : wellFormedString(rng, 12) || 'k',
    value: randomAnyValue(rng, depth, maxDepth),
  }));
}

const NS_PER_MS = 1_000_000n;

/** A random (well-formed) request: 1–3 resources × 1–3 scopes × 0–`maxRecords` records. */
export function randomRequest(rng: Rng, options: { maxRecords: number; maxDepth: number }): PbRequest {
  const now = BigInt(Date.now());
  return {
    resourceLogs: Array.from({ length: rng.between(1, 3) }, () => ({
      resource: { attributes: randomKeyValues(rng, rng.int(4), 1, options.maxDepth) },
      scopeLogs: Array.from({ length: rng.between(1, 3) }, () => ({
        scope: { name: wellFormedString(rng, 12) },
        logRecords: Array.from({ length: rng.int(options.maxRecords + 1) }, (): PbLogRecord => ({
          timeUnixNano: String(rng.pick([0n, now * NS_PER_MS, (now - BigInt(rng.int(1e9))) * NS_PER_MS, 18446744073709551615n, 1n])),
          observedTimeUnixNano: String(rng.pick([0n, now * NS_PER_MS, 18446744073709551615n])),
          severityNumber: rng.int(25),
          severityText: rng.pick(['', 'INFO', wellFormedString(rng, 8)]),
          ...(rng.chance(0.3) ? { body: randomAnyValue(rng, 1, options.maxDepth) } : {}),
          attributes: randomKeyValues(rng, rng.int(8), 1, options.maxDepth),
          ...(rng.chance(0.3) ? { traceId: randomBytes(rng, 16), spanId: randomBytes(rng, 8) } : {}),
          eventName: rng.pick(['', 'passkey.prompt', 'auth.sign_in', wellFormedString(rng, 16)]),
        })),
      })),
    })),
  };
}

export function toProtobuf(request: PbRequest): Uint8Array {
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request as unknown as Record<string, unknown>)).finish();
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function jsonAnyValue(value: PbAnyValue): unknown {
  if ('intValue' in value) return { intValue: String(value.intValue) };
  if ('doubleValue' in value) {
    const d = value.doubleValue;
    return { doubleValue: Number.isNaN(d) ? 'NaN' : d === Infinity ? 'Infinity' : d === -Infinity ? '-Infinity' : d };
  }
  if ('bytesValue' in value) return { bytesValue: Buffer.from(value.bytesValue).toString('base64') };
  if ('arrayValue' in value) return { arrayValue: { values: value.arrayValue.values.map(jsonAnyValue) } };
  if ('kvlistValue' in value) return { kvlistValue: { values: value.kvlistValue.values.map(jsonKeyValue) } };
  return value;
}
const jsonKeyValue = (kv: PbKeyValue) => ({ key: kv.key, value: jsonAnyValue(kv.value) });

/** The same request in the OTLP/JSON encoding (hex ids, ints as strings, non-finite doubles by name). */
export function toOtlpJson(request: PbRequest): Record<string, unknown> {
  return {
    resourceLogs: request.resourceLogs.map((rl) => ({
      resource: { attributes: rl.resource.attributes.map(jsonKeyValue) },
      scopeLogs: rl.scopeLogs.map((sl) => ({
        scope: sl.scope,
        logRecords: sl.logRecords.map((r) => ({
          ...r,
          ...(r.body ? { body: jsonAnyValue(r.body) } : {}),
          attributes: r.attributes.map(jsonKeyValue),
          ...(r.traceId ? { traceId: hex(r.traceId) } : {}),
          ...(r.spanId ? { spanId: hex(r.spanId) } : {}),
        })),
      })),
    })),
  };
}

// ---- mutations ---------------------------------------------------------------------------------

/** Truncation, character flips and insertions, spliced brackets, deep nesting. */
export function mutateText(rng: Rng, text: string): string {
  let out = text;
  const steps = rng.between(1, 3);
  for (let s = 0; s < steps; s++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(8)) {
      case 0:
        out = out.slice(0, at);
        break;
      case 7: {
        // times JSON can say but protobuf cannot: beyond 64 bits, beyond a Date, fractional, negative
        const time = rng.pick(['1e300', '"99999999999999999999999999"', '"18446744073709551616"', '-1', '1.5', '"0x10"', '""']);
        out = out.replace(/"(timeUnixNano|observedTimeUnixNano)":"\d+"/g, (m, key: string) => (rng.chance(0.5) ? `"${key}":${time}` : m));
        break;
      }
      case 1:
        out = out.slice(0, at) + String.fromCharCode(rng.int(128)) + out.slice(at + 1);
        break;
      case 2:
        out =
          out.slice(0, at) + rng.pick(['{', '}', '[', ']', '"', '\\', ',', ':', '\\u', '\u0000', 'null', '"__proto__":']) + out.slice(at);
        break;
      case 3: {
        const depth = rng.pick([10, 60, 70, 500, 5000]);
        out = out.slice(0, at) + '['.repeat(depth) + ']'.repeat(rng.chance(0.5) ? depth : 0) + out.slice(at);
        break;
      }
      case 4: {
        const from = rng.int(out.length + 1);
        out = out.slice(0, at) + out.slice(from, from + rng.int(200)) + out.slice(at);
        break;
      }
      case 5:
        out = out.slice(0, at) + randomString(rng) + out.slice(at);
        break;
      default:
        out = out.replace(
          /"(logRecords|scopeLogs|resourceLogs|attributes|values)":\[/,
          (_m, key: string) => `"${key}":${rng.pick(['1', '"x"', 'null', '{}', 'true'])},"x${rng.int(9)}":[`,
        );
    }
  }
  return out;
}

/** Truncation, byte flips, insertions (oversized varints and lengths), duplicated slices. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  let out = Buffer.from(bytes);
  const steps = rng.between(1, 3);
  for (let s = 0; s < steps; s++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(5)) {
      case 0:
        out = out.subarray(0, at);
        break;
      case 1:
        if (out.length > 0) {
          const i = Math.min(at, out.length - 1);
          out[i] = out[i]! ^ (1 << rng.int(8));
        }
        break;
      case 2: {
        const insert = Buffer.from(
          rng.pick([
            [0xff, 0xff, 0xff, 0xff, 0x0f],
            [0x0a, 0xff, 0xff, 0xff, 0xff, 0x07],
            [0x12, 0x00],
            [0x00],
            [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
            [0x0b],
            [0x0f],
          ]),
        );
        out = Buffer.concat([out.subarray(0, at), insert, out.subarray(at)]);
        break;
      }
      case 3: {
        const from = rng.int(out.length + 1);
        out = Buffer.concat([out.subarray(0, at), out.subarray(from, from + rng.int(64)), out.subarray(at)]);
        break;
      }
      default:
        out = Buffer.concat([out.subarray(0, at), Buffer.from(randomBytes(rng, rng.int(16))), out.subarray(at)]);
    }
  }
  return new Uint8Array(out);
}

const len = (tag: number, ...payload: Uint8Array[]): Buffer => {
  const body = Buffer.concat(payload);
  return Buffer.concat([Buffer.from([tag, ...varint(body.length)]), body]);
};

/** One record whose attribute `deep` is `depth` nested arrays (or maps), written bottom-up byte by byte. */
export function deeplyNestedProtobuf(depth: number, maps: boolean): Uint8Array {
  let value = len(0x0a, Buffer.from('leaf')); // AnyValue { string_value }
  const key = len(0x0a, Buffer.from('k'));
  for (let i = 0; i < depth; i++) {
    value = maps
      ? len(0x32, len(0x0a, key, len(0x12, value))) // AnyValue { kvlist_value { values: [{ key: 'k', value }] } }
      : len(0x2a, len(0x0a, value)); // AnyValue { array_value { values: [value] } }
  }
  const keyValue = [len(0x0a, Buffer.from('deep')), len(0x12, value)];
  const record = len(0x32, ...keyValue); // LogRecord.attributes
  const scopeLogs = len(0x12, record); // ScopeLogs.log_records
  const resourceLogs = len(0x12, scopeLogs); // ResourceLogs.scope_logs
  return new Uint8Array(len(0x0a, resourceLogs)); // request.resource_logs
}
