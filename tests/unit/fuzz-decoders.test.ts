/**
 * Fuzz: the OTLP decoders (ingest/decode.ts: protobuf and JSON) and the JSON pre-scan
 * (ingest/json-scan.ts), on random bytes and text and on mutations of valid batches (truncation,
 * byte flips, deep nesting, huge strings, wrong types). Whatever comes in:
 *   - they either return records or throw one of the errors the handler answers 400/413 for
 *     (DecodeError, TooManyRecordsError; the scan: JsonNestingError, TooManyRecordsError) — nothing
 *     else, and no hang;
 *   - what they return respects the limits (records per request, values per record, string length,
 *     nesting depth), and the row mapper takes every record without throwing;
 *   - the scan's record count is never below what the JSON decoder returns;
 *   - an unmutated batch decodes to the same records from JSON and from protobuf.
 * Seeded: a failure prints FUZZ_SEED=<seed> to replay it.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, storedEvent } from '@/ingest/columns';
import { decodeJson, decodeProtobuf, DecodeError, type AttributeValue, type Attributes, type DecodedLogRecord } from '@/ingest/decode';
import { JsonNestingError, scanOtlpJson } from '@/ingest/json-scan';
import { DEFAULT_LIMITS, TooManyRecordsError, type IngestLimits } from '@/ingest/limits';
import { mapRecords } from '@/ingest/to-rows';
import {
  deeplyNestedProtobuf,
  fuzzSeed,
  mutateBytes,
  mutateText,
  randomRequest,
  randomString,
  replayable,
  Rng,
  toOtlpJson,
  toProtobuf,
  wellFormed,
} from '../helpers/fuzz';
import { otlpJson, otlpProtobuf } from '../helpers/otlp';

const SEED = fuzzSeed();
const CASES_PER_ENCODING = Number(process.env.FUZZ_CASES ?? 3000);
/** A single case slower than this is a hang (generous: the machine is shared). */
const MAX_CASE_MS = 3000;

const SMALL: IngestLimits = { maxRecords: 12, maxAttributes: 16, maxValueLength: 64, maxDepth: 3 };
const limitsFor = (rng: Rng): IngestLimits => (rng.chance(0.7) ? SMALL : DEFAULT_LIMITS);

/** JSON.stringify writes a lone surrogate as an escape; a pair stays as it is. */
const LONE_SURROGATE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

/** A plain assertion: cheap enough for every value of every case. */
function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Counts a value's attribute values and checks its depth and strings; returns the count. */
function checkValue(value: AttributeValue, depth: number, limits: IngestLimits, where: string): number {
  if (value === null) return 0;
  check(depth <= limits.maxDepth, `${where}: nested ${depth} deep, over maxDepth`);
  if (typeof value === 'string') {
    // bytes values come out as base64 of at most maxValueLength bytes
    check(value.length <= Math.ceil(limits.maxValueLength / 3) * 4, `${where}: string of ${value.length} over maxValueLength`);
    return 0;
  }
  if (Array.isArray(value)) return value.reduce<number>((sum, element) => sum + 1 + checkValue(element, depth + 1, limits, where), 0);
  if (typeof value === 'object') return checkAttributes(value, depth + 1, limits, where);
  check(typeof value === 'number' || typeof value === 'boolean', `${where}: a ${typeof value}`);
  return 0;
}

function checkAttributes(attributes: Attributes, depth: number, limits: IngestLimits, where: string): number {
  let count = 0;
  for (const key of Object.keys(attributes)) {
    check(key.length <= limits.maxValueLength, `${where}: key over maxValueLength`);
    count += 1 + checkValue(attributes[key]!, depth, limits, `${where}.${key.slice(0, 20)}`);
  }
  return count;
}

/** What the decoders promise about a result, and that the row mapper accepts it. */
function checkRecords(records: DecodedLogRecord[], limits: IngestLimits): void {
  check(records.length <= limits.maxRecords, `${records.length} records, over maxRecords`);
  records.forEach((record, i) => {
    check(record.index === i, `record ${i} has index ${record.index}`);
    check(Number.isFinite(record.timeMs) && record.timeMs >= 0, `timeMs ${record.timeMs}`);
    check(Number.isFinite(record.observedMs) && record.observedMs >= 0, `observedMs ${record.observedMs}`);
    check(Number.isInteger(record.severityNumber), `severityNumber ${record.severityNumber}`);
    for (const text of [record.eventName, record.severityText, record.scopeName, record.traceId, record.spanId]) {
      check(typeof text === 'string' && text.length <= limits.maxValueLength, `a record field of ${text.length} characters`);
    }
    check(/^[0-9a-f]*$/.test(record.traceId) && /^[0-9a-f]*$/.test(record.spanId), 'trace or span id not lowercase hex');
    const body = record.body === null ? 0 : 1 + checkValue(record.body, 1, limits, 'body');
    const values = checkAttributes(record.attributes, 1, limits, 'attributes') + body;
    check(values <= limits.maxAttributes, `${values} attribute values in a record, over maxAttributes`);
    const resourceValues = checkAttributes(record.resource, 1, limits, 'resource');
    check(resourceValues <= limits.maxAttributes, `${resourceValues} resource attribute values, over maxAttributes`);
  });
  const { rows, rejections } = mapRecords(records, Date.now(), { tokenName: 'fuzz' });
  check(rows.length + rejections.length === records.length, 'the mapper lost records');
  for (const row of rows) {
    check(row.length === EVENT_COLUMNS.length, 'a row without every column');
    // ClickHouse refuses a lone surrogate in a JSON insert: one would fail the whole request.
    check(!LONE_SURROGATE.test(JSON.stringify(row)), 'a row with a lone surrogate');
  }
  for (const truncated of records.filter((r) => r.limitViolation)) {
    check(
      rejections.some((r) => r.index === truncated.index && r.reason === 'limit_exceeded'),
      'a truncated record was not rejected',
    );
  }
}

type Outcome = { ok: true; records: DecodedLogRecord[] } | { ok: false; error: Error };

function timed<T>(run: () => T): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started, 'a case took too long (hang?)').toBeLessThan(MAX_CASE_MS);
  return result;
}

function decodeJsonCase(text: string, limits: IngestLimits): Outcome {
  let scanned: number | undefined;
  let scanError: Error | undefined;
  try {
    scanned = timed(() => scanOtlpJson(text, limits)).records;
  } catch (error) {
    if (!(error instanceof JsonNestingError || error instanceof TooManyRecordsError)) throw error;
    scanError = error;
  }
  try {
    const records = timed(() => decodeJson(text, limits));
    expect(scanError, 'the decoder accepted what the scan refused').toBeUndefined();
    expect(records.length, "the scan's count is an upper bound").toBeLessThanOrEqual(scanned!);
    checkRecords(records, limits);
    return { ok: true, records };
  } catch (error) {
    if (!(error instanceof DecodeError || error instanceof TooManyRecordsError)) throw error;
    if (scanError instanceof TooManyRecordsError) expect(error).toBeInstanceOf(TooManyRecordsError);
    return { ok: false, error };
  }
}

function decodeProtobufCase(bytes: Uint8Array, limits: IngestLimits): Outcome {
  try {
    const records = timed(() => decodeProtobuf(bytes, limits));
    checkRecords(records, limits);
    return { ok: true, records };
  } catch (error) {
    if (!(error instanceof DecodeError || error instanceof TooManyRecordsError)) throw error;
    return { ok: false, error };
  }
}

/** A valid batch from the test helpers, with random scalar attributes. */
function helperBatch(rng: Rng) {
  const records = Array.from({ length: rng.int(6) }, () => ({
    eventName: rng.pick(['passkey.prompt', 'auth.sign_in', 'nope', '']),
    attributes: Object.fromEntries(
      Array.from({ length: rng.int(6) }, () => [
        wellFormed(randomString(rng, 12)) || 'k',
        rng.pick<string | number | boolean | string[]>([wellFormed(randomString(rng)), rng.int(1e6), 1.5, true, ['a', 'b']]),
      ]),
    ),
  }));
  return { json: JSON.stringify(otlpJson(records)), protobuf: otlpProtobuf(records) };
}

const tally = { json: { ok: 0, refused: 0 }, protobuf: { ok: 0, refused: 0 }, differential: 0 };

describe(`fuzz: OTLP decoders and the JSON pre-scan (seed ${SEED})`, () => {
  it(`OTLP/JSON: ${CASES_PER_ENCODING} random and mutated bodies`, () => {
    const rng = new Rng(SEED);
    for (let i = 0; i < CASES_PER_ENCODING; i++) {
      replayable(SEED, 'json', i, () => {
        const limits = limitsFor(rng);
        let text: string;
        const kind = rng.int(10);
        if (kind === 0) text = randomString(rng, 200);
        else if (kind === 1) text = helperBatch(rng).json;
        else if (kind === 2) {
          const depth = rng.pick([2, 3, 4, 9, 15, 20, 200]);
          text = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"deep","value":${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"x"}${']}}'.repeat(depth)}}]}]}]}]}`;
        } else {
          const request = toOtlpJson(randomRequest(rng, { maxRecords: rng.pick([1, 3, 8]), maxDepth: rng.pick([2, 5]) }));
          text = JSON.stringify(request);
          if (kind > 3) text = mutateText(rng, text);
        }
        if (process.env.FUZZ_DUMP) (globalThis as Record<string, unknown>).lastFuzzInput = { text, limits };
        const outcome = decodeJsonCase(text, limits);
        tally.json[outcome.ok ? 'ok' : 'refused'] += 1;
      });
    }
    expect(tally.json.ok).toBeGreaterThan(CASES_PER_ENCODING / 20);
    expect(tally.json.refused).toBeGreaterThan(CASES_PER_ENCODING / 20);
  }, 60_000);

  it(`OTLP/protobuf: ${CASES_PER_ENCODING} random and mutated bodies`, () => {
    const rng = new Rng(SEED ^ 0x9e3779b9);
    for (let i = 0; i < CASES_PER_ENCODING; i++) {
      replayable(SEED, 'protobuf', i, () => {
        const limits = limitsFor(rng);
        let bytes: Uint8Array;
        const kind = rng.int(10);
        if (kind === 0) bytes = Uint8Array.from(Buffer.from(randomString(rng, 200), 'latin1'));
        else if (kind === 1) bytes = helperBatch(rng).protobuf;
        else if (kind === 2) bytes = deeplyNestedProtobuf(rng.pick([2, 3, 4, 8, 100, 1000]), rng.chance(0.5));
        else {
          bytes = toProtobuf(randomRequest(rng, { maxRecords: rng.pick([1, 3, 8]), maxDepth: rng.pick([2, 5]) }));
          if (kind > 3) bytes = mutateBytes(rng, bytes);
        }
        const outcome = decodeProtobufCase(bytes, limits);
        tally.protobuf[outcome.ok ? 'ok' : 'refused'] += 1;
      });
    }
    expect(tally.protobuf.ok).toBeGreaterThan(CASES_PER_ENCODING / 20);
    expect(tally.protobuf.refused).toBeGreaterThan(CASES_PER_ENCODING / 20);
  }, 60_000);

  it('an unmutated batch decodes to the same records from JSON and from protobuf', () => {
    const rng = new Rng(SEED ^ 0x5bd1e995);
    const cases = Math.max(200, Math.floor(CASES_PER_ENCODING / 6));
    for (let i = 0; i < cases; i++) {
      replayable(SEED, 'json/protobuf differential', i, () => {
        const limits = limitsFor(rng);
        const request = randomRequest(rng, { maxRecords: 4, maxDepth: rng.pick([2, 5]) });
        const fromJson = decodeJsonCase(JSON.stringify(toOtlpJson(request)), limits);
        const fromProtobuf = decodeProtobufCase(toProtobuf(request), limits);
        expect(fromJson.ok).toBe(fromProtobuf.ok);
        if (!fromJson.ok || !fromProtobuf.ok) return;
        expect(fromJson.records.map((r) => Boolean(r.limitViolation))).toEqual(fromProtobuf.records.map((r) => Boolean(r.limitViolation)));
        const comparable = (records: DecodedLogRecord[]) => records.filter((r) => !r.limitViolation);
        expect(comparable(fromJson.records)).toEqual(comparable(fromProtobuf.records));
        tally.differential += 1;
      });
    }
    expect(tally.differential).toBeGreaterThan(cases / 2);
    console.log(
      `[fuzz] seed ${SEED}: JSON ${JSON.stringify(tally.json)}, protobuf ${JSON.stringify(tally.protobuf)}, differential ${tally.differential}`,
    );
  }, 60_000);
});

describe('regressions the fuzzer found', () => {
  const prompt = (times: Record<string, unknown>) =>
    JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { eventName: 'auth.password.removed', ...times, attributes: [{ key: 'user.id', value: { stringValue: 'u_1' } }] },
              ],
            },
          ],
        },
      ],
    });

  it('a time past what a Date holds is rejected (invalid_timestamp), not thrown (it was a RangeError: 503 forever)', () => {
    for (const time of [1e300, '99999999999999999999999999']) {
      const { rows, rejections } = mapRecords(decodeJson(prompt({ timeUnixNano: time })), Date.now());
      expect(rows).toHaveLength(0);
      expect(rejections[0]).toMatchObject({
        reason: 'invalid_timestamp',
        detail: expect.stringMatching(/ms since the epoch is more than 24 h in the future/),
      });
    }
  });

  it('a lone surrogate (OTLP/JSON can send one) is stored as U+FFFD (ClickHouse refused the whole insert: 503 forever)', () => {
    const text = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rp\ud800' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  eventName: 'auth.password.removed',
                  attributes: [
                    { key: 'user.id', value: { stringValue: 'u_1' } },
                    { key: 'rp.\udc00', value: { stringValue: 'a\ud800b' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const { rows } = mapRecords(decodeJson(text), Date.now());
    const row = storedEvent(rows[0]!);
    expect(row.service_name).toBe('rp\ufffd');
    expect(row.attributes).toEqual({ 'rp.\ufffd': 'a\ufffdb' });
    expect(LONE_SURROGATE.test(JSON.stringify(rows[0]))).toBe(false);
  });

  it('an observed time ClickHouse cannot store (past 2299) falls back to the event time (the whole insert failed: 503 forever)', () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    for (const observed of ['18446744073709551615', '1']) {
      const { rows } = mapRecords(decodeJson(prompt({ timeUnixNano: String(now), observedTimeUnixNano: observed })), Date.now());
      const row = storedEvent(rows[0]!);
      expect(row.observed_timestamp).toBe(row.timestamp);
    }
  });
});
