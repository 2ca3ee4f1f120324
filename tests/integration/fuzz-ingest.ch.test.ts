/**
 * Fuzz, end to end: random batches POSTed to the running app's /v1/logs (OTLP/JSON or protobuf,
 * gzip or not), each mixing valid records with invalid ones (unknown or missing event names,
 * missing or wrong-typed attributes, contact details in user.id, impossible times, values over the
 * per-record limits) — and some whole bodies mutated into garbage. Never a 5xx; a batch's
 * partial_success counts exactly its invalid records; and exactly its valid records are stored,
 * counted through /api/v1/events by the batch's own user id. Seeded: FUZZ_SEED=<seed> replays it.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { ExportLogsServiceResponse } from '@/ingest/otlp-proto';
import {
  fuzzSeed,
  mutateBytes,
  mutateText,
  randomAnyValue,
  randomString,
  Rng,
  wellFormed,
  toOtlpJson,
  toProtobuf,
  type PbAnyValue,
  type PbLogRecord,
  type PbRequest,
} from '../helpers/fuzz';
import { uid } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const SEED = fuzzSeed();
const BATCHES = Number(process.env.FUZZ_BATCHES ?? 240);
const CONCURRENCY = 4;
const NS = 1_000_000n;

const str = (value: string): PbAnyValue => ({ stringValue: value });

/** Strings cut to 1,000 characters: a valid record stays within INGEST_MAX_VALUE_LENGTH. */
function clamp(value: PbAnyValue): PbAnyValue {
  if ('stringValue' in value) return { stringValue: value.stringValue.slice(0, 1000) };
  if ('arrayValue' in value) return { arrayValue: { values: value.arrayValue.values.map(clamp) } };
  if ('kvlistValue' in value)
    return { kvlistValue: { values: value.kvlistValue.values.map((kv) => ({ key: kv.key.slice(0, 100), value: clamp(kv.value) })) } };
  return value;
}

interface Planned {
  record: PbLogRecord;
  valid: boolean;
  /** Only JSON can carry it (a time beyond 64 bits). */
  jsonOnly?: { timeUnixNano: unknown };
}

function plannedRecord(rng: Rng, userId: string): Planned {
  const now = BigInt(Date.now() - rng.int(3_600_000));
  const base = (eventName: string, attributes: Record<string, PbAnyValue>, extra: Partial<PbLogRecord> = {}): PbLogRecord => ({
    timeUnixNano: String(now * NS),
    eventName,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
    ...extra,
  });
  const user = str(userId);
  // Extra attributes the vocabulary does not know: any value goes (contact details are replaced, the record kept).
  const extras = (): Record<string, PbAnyValue> =>
    Object.fromEntries(
      Array.from({ length: rng.int(4) }, () => [
        `rp.${wellFormed(randomString(rng, 8, 0)) || 'x'}`,
        rng.chance(0.3) ? str(rng.pick(['alice@example.com', '+1 415 555 0123', '10.0.19045'])) : clamp(randomAnyValue(rng, 1, 3)),
      ]),
    );
  switch (rng.int(14)) {
    case 0:
      return { valid: true, record: base('auth.password.removed', { 'user.id': user, ...extras() }) };
    case 1:
      return {
        valid: true,
        record: base('auth.sign_in', {
          'user.id': user,
          'auth.method': str(rng.pick(['passkey', 'password', randomString(rng, 12, 0).trim() || 'x'])),
          'auth.result': str('success'),
          ...extras(),
        }),
      };
    case 2:
      return {
        valid: true,
        record: base(
          'passkey.prompt',
          {
            'user.id': user,
            'webauthn.ceremony.type': str('authentication'),
            'passkey.prompt.outcome': str('success'),
            'os.version': str('10.0.19045'),
            ...extras(),
          },
          rng.chance(0.5) ? { body: clamp(randomAnyValue(rng, 1, 3)) } : {},
        ),
      };
    case 3:
      return {
        valid: true,
        record: base('support.ticket', {
          'user.id': user,
          'support.ticket.id': str(uid('t')),
          'support.ticket.stage': str('opened'),
          'support.ticket.category': str(rng.pick(['billing', 'bob@example.com', '4155550123'])),
        }),
      };
    case 4:
      // an observed time ClickHouse cannot store (it failed the whole insert before): kept, observed = event time
      return { valid: true, record: base('auth.password.removed', { 'user.id': user }, { observedTimeUnixNano: '18446744073709551615' }) };
    case 5:
      return { valid: false, record: base(rng.pick(['login.happened', wellFormed(randomString(rng, 20, 0))]), { 'user.id': user }) };
    case 6:
      return { valid: false, record: base('', { 'user.id': user }) };
    case 7:
      return { valid: false, record: base('passkey.prompt', { 'user.id': user, 'webauthn.ceremony.type': str('registration') }) }; // no outcome
    case 8:
      return {
        valid: false,
        record: base('auth.password.removed', { 'user.id': str(rng.pick(['alice@example.com', '+14155550123', '4155550123'])) }),
      };
    case 9:
      return { valid: false, record: base('passkey.registration', { 'user.id': user, 'passkey.result': str('maybe') }) };
    case 10:
      return {
        valid: false,
        record: base('passkey.prompt', {
          'user.id': user,
          'webauthn.ceremony.type': str('registration'),
          'passkey.prompt.outcome': str('success'),
          'passkey.prompt.duration_ms': str('abc'),
        }),
      };
    case 11: {
      // (1 s after the epoch: 0 would mean "unset", and the receipt time would be used)
      const time = rng.pick([
        { pb: '1000000000', json: '1000000000' },
        { pb: String((now + 2n * 86_400_000n) * NS), json: 1e300 },
        { pb: '18446744073709551615', json: '99999999999999999999999999' },
      ]);
      return {
        valid: false,
        record: base('auth.password.removed', { 'user.id': user }, { timeUnixNano: time.pb }),
        jsonOnly: { timeUnixNano: time.json },
      };
    }
    case 12: {
      // over a per-record limit: a 20,000-character value, 300 attributes, or 12 levels of nesting
      const kind = rng.int(3);
      let deep: PbAnyValue = str('leaf');
      for (let i = 0; i < 12; i++) deep = { arrayValue: { values: [deep] } };
      const attributes: Record<string, PbAnyValue> =
        kind === 0
          ? { 'rp.big': str('x'.repeat(20_000)) }
          : kind === 1
            ? Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`rp.a${i}`, str('v')]))
            : { 'rp.deep': deep };
      return { valid: false, record: base('auth.password.removed', { 'user.id': user, ...attributes }) };
    }
    default:
      return { valid: false, record: base('auth.sign_in', { 'user.id': user, 'auth.result': str('success') }) }; // no auth.method
  }
}

interface Sent {
  status: number;
  rejected: number | undefined;
  valid: number;
  invalid: number;
  userId: string;
  garbage: boolean;
}

async function sendBatch(rng: Rng, index: number, run: string): Promise<Sent> {
  const userId = `${run}_b${index}`;
  const planned = Array.from({ length: rng.between(1, 12) }, () => plannedRecord(rng, userId));
  const request: PbRequest = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: str(`fuzz-${run}`) }] },
        scopeLogs: [{ scope: { name: 'fuzz' }, logRecords: planned.map((p) => p.record) }],
      },
    ],
  };
  const protobuf = rng.chance(0.5);
  let body: Uint8Array;
  if (protobuf) body = toProtobuf(request);
  else {
    const json = toOtlpJson(request) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<Record<string, unknown>> }> }> };
    planned.forEach((p, i) => {
      if (p.jsonOnly) json.resourceLogs[0]!.scopeLogs[0]!.logRecords[i]!.timeUnixNano = p.jsonOnly.timeUnixNano;
    });
    body = new TextEncoder().encode(JSON.stringify(json));
  }
  const garbage = rng.chance(0.1);
  if (garbage) body = protobuf ? mutateBytes(rng, body) : new TextEncoder().encode(mutateText(rng, new TextDecoder().decode(body)));
  const gzip = rng.chance(0.3);
  const response = await fetch(`${baseUrl}/v1/logs`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': protobuf ? 'application/x-protobuf' : 'application/json',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: new Uint8Array(gzip ? gzipSync(body) : body),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  let rejected: number | undefined;
  if (response.status === 200) {
    if (protobuf) {
      const decoded = ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(bytes), { longs: Number }) as {
        partialSuccess?: { rejectedLogRecords?: number };
      };
      rejected = Number(decoded.partialSuccess?.rejectedLogRecords ?? 0);
    } else {
      const decoded = JSON.parse(new TextDecoder().decode(bytes)) as { partialSuccess?: { rejectedLogRecords?: string } };
      rejected = Number(decoded.partialSuccess?.rejectedLogRecords ?? 0);
    }
  }
  const valid = planned.filter((p) => p.valid).length;
  return { status: response.status, rejected, valid, invalid: planned.length - valid, userId, garbage };
}

async function storedFor(userId: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/events?userId=${encodeURIComponent(userId)}&limit=1000`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { events: Array<{ userId: string }> };
  for (const event of body.events) expect(event.userId).toBe(userId);
  return body.events.length;
}

describe(`fuzz: random batches through /v1/logs (seed ${SEED})`, () => {
  it(`${BATCHES} batches: no 5xx, partial_success counts the invalid records, exactly the valid ones are stored`, async () => {
    const run = uid('fz');
    const rng = new Rng(SEED);
    // The batches are drawn in order (reproducible), then sent a few at a time.
    const plans = Array.from({ length: BATCHES }, (_, i) => ({ i, rng: new Rng(Math.floor(rng.next() * 4_294_967_296)) }));
    const results: Sent[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < plans.length) {
          const plan = plans[next++]!;
          results[plan.i] = await sendBatch(plan.rng, plan.i, run);
        }
      }),
    );
    const problems: string[] = [];
    for (const [i, sent] of results.entries()) {
      if (sent.status >= 500) problems.push(`batch ${i}: ${sent.status}`);
      if (sent.garbage) continue; // a mutated body: any 2xx/4xx answer, nothing to count
      if (sent.status !== 200) problems.push(`batch ${i}: status ${sent.status}`);
      else if (sent.rejected !== sent.invalid)
        problems.push(`batch ${i}: partial_success rejected ${sent.rejected}, sent ${sent.invalid} invalid`);
    }
    const intact = results.filter((r) => !r.garbage);
    let stored = 0;
    for (let i = 0; i < intact.length; i += CONCURRENCY) {
      const counts = await Promise.all(intact.slice(i, i + CONCURRENCY).map((r) => storedFor(r.userId)));
      counts.forEach((count, j) => {
        const sent = intact[i + j]!;
        stored += count;
        if (count !== sent.valid) problems.push(`${sent.userId}: ${count} stored, ${sent.valid} valid sent`);
      });
    }
    const figures = {
      batches: results.length,
      garbageBatches: results.length - intact.length,
      records: results.reduce((n, r) => n + r.valid + r.invalid, 0),
      validSent: intact.reduce((n, r) => n + r.valid, 0),
      stored,
      status5xx: results.filter((r) => r.status >= 500).length,
      statuses: Object.fromEntries(
        [...new Set(results.map((r) => r.status))].map((s) => [s, results.filter((r) => r.status === s).length]),
      ),
    };
    console.log(`[fuzz] seed ${SEED}: ${JSON.stringify(figures)}`);
    expect(problems.slice(0, 10), `replay: FUZZ_SEED=${SEED}`).toEqual([]);
    expect(figures.status5xx).toBe(0);
  }, 120_000);
});
