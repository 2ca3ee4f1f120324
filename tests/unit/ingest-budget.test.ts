/**
 * The global in-flight budget (ingest/budget.ts), alone and inside the ingest handler with a storage
 * double that holds inserts until released: beyond the budget the answer is 429 + Retry-After, the
 * lease is always given back, and the limits reach the handler's answers.
 */
import zlib from 'node:zlib';
import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { InflightBudget } from '@/ingest/budget';
import { BUSY_RETRY_AFTER_SECONDS, createIngestHandler, type IngestDeps } from '@/ingest/handler';
import { insertText } from '../helpers/insert-faults';
import { emptyRecordsProtobuf, otlpJson, otlpProtobuf } from '../helpers/otlp';

describe('InflightBudget', () => {
  it('grants reservations up to the budget and refuses beyond it', () => {
    const budget = new InflightBudget(100, 10);
    const a = budget.open();
    const b = budget.open();
    expect(a.reserve(60, 5)).toBe(true);
    expect(b.reserve(50)).toBe(false);
    expect(b.reserve(40, 5)).toBe(true);
    expect(b.reserve(0, 1)).toBe(false);
    expect(budget.usage()).toEqual({ bytes: 100, records: 10, requests: 2 });
    a.release();
    expect(budget.usage()).toEqual({ bytes: 40, records: 5, requests: 1 });
    expect(b.reserve(60, 5)).toBe(true);
  });

  it('always lets a request through alone, whatever its size', () => {
    const budget = new InflightBudget(100, 10);
    const alone = budget.open();
    expect(alone.reserve(1000, 500)).toBe(true);
    expect(alone.reserve(1000)).toBe(true);
    const other = budget.open();
    // While the lone request holds more than the budget, nothing else gets in.
    expect(other.reserve(1)).toBe(false);
    expect(other.reserve(0)).toBe(false);
    alone.release();
    expect(other.reserve(100, 10)).toBe(true);
  });

  it('release is idempotent and returns everything', () => {
    const budget = new InflightBudget(100, 10);
    const lease = budget.open();
    lease.reserve(70, 7);
    lease.release();
    lease.release();
    expect(budget.usage()).toEqual({ bytes: 0, records: 0, requests: 0 });
    expect(() => lease.reserve(1)).toThrow();
  });
});

/** A storage double: every insert waits until `flush()`; `fail` makes them throw. */
function fakeStorage() {
  const waiting: Array<() => void> = [];
  const inserted: number[] = [];
  let fail = false;
  const client = {
    insert: async ({ values }: { values: unknown[] | AsyncIterable<Buffer | string> }) => {
      if (fail) throw new Error('storage down');
      await new Promise<void>((resolve) => waiting.push(resolve));
      if (Array.isArray(values)) return void inserted.push(values.length); // the quarantine's JSON rows
      inserted.push((await insertText(values)).split('\n').length - 1); // the events' TabSeparated rows, a line each
    },
  } as unknown as ClickHouseClient;
  return {
    client,
    inserted,
    failing: () => {
      fail = true;
    },
    pending: () => waiting.length,
    flush: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

const TOKEN = 'unit-token';
function handlerWith(storage: ReturnType<typeof fakeStorage>, extra: Partial<IngestDeps> = {}) {
  return createIngestHandler({
    client: () => storage.client,
    ready: () => Promise.resolve(),
    tokens: () => [{ name: 'test', scope: 'ingest', secret: TOKEN }],
    maxBodyBytes: 16 * 1024 * 1024,
    corsOrigins: [],
    log: () => undefined,
    ...extra,
  });
}

const removal = (userId: string) => ({ eventName: 'auth.password.removed', attributes: { 'user.id': userId } });
const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://ingest.test/v1/logs', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${TOKEN}`, ...headers },
  });
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the ingest handler under the budget', () => {
  it('answers 429 + Retry-After once the records in flight exceed the budget, and serves again after', async () => {
    const storage = fakeStorage();
    const ingest = handlerWith(storage, { maxInflightRecords: 250 });
    const batch = () => otlpProtobuf(Array.from({ length: 100 }, () => removal('u_budget')));
    const first = ingest(post(batch()));
    const second = ingest(post(batch()));
    await tick();
    expect(storage.pending()).toBe(2);
    const third = await ingest(post(batch()));
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe(String(BUSY_RETRY_AFTER_SECONDS));
    expect(third.headers.get('content-type')).toBe('application/x-protobuf');
    storage.flush();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(storage.inserted).toEqual([100, 100]);
    const fourth = ingest(post(batch()));
    await tick();
    storage.flush();
    expect((await fourth).status).toBe(200);
  });

  it('answers 429 on bytes in flight, declared or read, and releases the lease after a failure', async () => {
    const storage = fakeStorage();
    const ingest = handlerWith(storage, { maxInflightBytes: 64 * 1024 });
    const padded = (userId: string) => JSON.stringify({ ...otlpJson([removal(userId)]), padding: 'p'.repeat(40 * 1024) });
    const jsonHeaders = { 'content-type': 'application/json' };
    const first = ingest(post(padded('a'), jsonHeaders));
    await tick();
    const refused = await ingest(post(padded('b'), jsonHeaders));
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { message: string }).message).toMatch(/INGEST_MAX_INFLIGHT_BYTES/);
    // A gzip body is counted as it inflates too.
    const gzipRefused = await ingest(post(zlib.gzipSync(padded('c')), { ...jsonHeaders, 'content-encoding': 'gzip' }));
    expect(gzipRefused.status).toBe(429);
    storage.flush();
    expect((await first).status).toBe(200);
    // Storage failing: 503, and the budget is free again afterwards.
    storage.failing();
    expect((await ingest(post(padded('d'), jsonHeaders))).status).toBe(503);
    expect((await ingest(post(padded('e'), jsonHeaders))).status).toBe(503);
  });

  it('refuses the empty-record bomb with 413 naming INGEST_MAX_RECORDS, and honours configured limits', async () => {
    const storage = fakeStorage();
    const ingest = handlerWith(storage, { limits: { maxRecords: 50 } });
    const bomb = await ingest(post(zlib.gzipSync(emptyRecordsProtobuf(2_000_000)), { 'content-encoding': 'gzip' }));
    expect(bomb.status).toBe(413);
    const small = ingest(post(otlpProtobuf(Array.from({ length: 51 }, () => removal('u')))));
    expect((await small).status).toBe(413);
    expect(storage.inserted).toEqual([]);
  });

  it('rejects a record over a per-record limit in partial_success and stores the rest', async () => {
    const storage = fakeStorage();
    const ingest = handlerWith(storage, { limits: { maxValueLength: 1024 } });
    const body = otlpJson([removal('u1'), { ...removal('u2'), attributes: { 'user.id': 'u2', note: 'n'.repeat(2000) } }]);
    const response = ingest(post(JSON.stringify(body), { 'content-type': 'application/json' }));
    await tick();
    storage.flush();
    await tick();
    storage.flush();
    const result = await response;
    expect(result.status).toBe(200);
    expect(await result.json()).toMatchObject({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: expect.stringMatching(
          /record 1 \(auth\.password\.removed\): attribute 'note': longer than 1,024 characters \(INGEST_MAX_VALUE_LENGTH\)/,
        ),
      },
    });
    expect(storage.inserted).toEqual([1, 1]);
  });
});
