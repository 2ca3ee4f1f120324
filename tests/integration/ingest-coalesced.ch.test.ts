/**
 * The coalesced ingest path (ingest/coalesced-sink.ts, ingest/coalescer.ts) on the real embedded
 * engine, through the real handler:
 *
 * - concurrent requests are stored in fewer inserts than requests, every record once, each
 *   answered 200 only after its insert returned;
 * - a retry is stored once: from this process's memory, and after a restart (a new sink with no
 *   memory, on the same store) from the `ingest_request` its rows carry;
 * - an insert that stored its rows but failed to answer (the answer lost) is answered 503 to every
 *   request in it, and their retries store nothing twice;
 * - a batch refused for one request's row: that row costs its own record, the other requests are
 *   stored the per-request way, and retries of all of them store nothing twice;
 * - a request whose rows span two partitions keeps the per-request insert.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoalescedSink, type CoalescedSink } from '@/ingest/coalesced-sink';
import { countOf, directIngest, postJson } from '../helpers/direct-ingest';
import { otlpJson, uid } from '../helpers/otlp';
import { withUnparsableTime } from '../helpers/insert-faults';
import { tempStore } from '../helpers/temp-store';

const temp = tempStore('pa-coalesced-');
beforeAll(() => temp.open(), 120_000);
afterAll(() => temp.close());

interface Tap {
  client: ClickHouseClient;
  /** Deduplication tokens of the ceremony_events inserts, in order. */
  inserts: string[];
}

/**
 * The real ingest client, watched: records each events insert's token; rows of the `bad` users reach
 * the engine with an unparsable time; `loseAnswers` events inserts are stored and then fail.
 */
function tap(options: { bad?: ReadonlySet<string>; loseAnswers?: number } = {}): Tap {
  const real = temp.store.ingestClient;
  const inserts: string[] = [];
  let lose = options.loseAnswers ?? 0;
  const client = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'insert') return Reflect.get(target, property, receiver);
      return async (params: Parameters<ClickHouseClient['insert']>[0]) => {
        if (params.table !== 'ceremony_events') return real.insert(params);
        inserts.push(String(params.clickhouse_settings?.insert_deduplication_token));
        const result = await real.insert({ ...params, values: await withUnparsableTime(params.values, options.bad ?? new Set()) });
        if (lose > 0) {
          lose -= 1;
          throw Object.assign(new Error('Timeout error (the answer was lost)'), { code: '159' });
        }
        return result;
      };
    },
  });
  return { client, inserts };
}

const handler = (client: ClickHouseClient, sink: CoalescedSink | undefined) => directIngest(() => client, { coalesced: () => sink });
const count = (query: string, params: Record<string, unknown>) => countOf(temp.store.client, query, params);

const storedOf = (run: string) => count('SELECT count() AS n FROM ceremony_events WHERE user_id LIKE {p:String}', { p: `${run}-%` });
const distinctOf = (run: string) =>
  count('SELECT uniqExact(user_id) AS n FROM ceremony_events WHERE user_id LIKE {p:String}', { p: `${run}-%` });

/** `requests` bodies of `perRequest` sign-ins each, users `<run>-<request>-<i>`. */
function bodies(run: string, requests: number, perRequest: number, timeMs = Date.now() - 60_000) {
  return Array.from({ length: requests }, (_, r) =>
    otlpJson(
      Array.from({ length: perRequest }, (_, i) => ({
        eventName: 'auth.sign_in',
        timeMs: timeMs + r * perRequest + i,
        attributes: { 'user.id': `${run}-${r}-${i}`, 'auth.method': 'passkey', 'auth.result': 'success' },
      })),
    ),
  );
}

const send = (ingest: ReturnType<typeof handler>, all: unknown[]) => Promise.all(all.map((body) => ingest(postJson(body))));

describe('the coalesced ingest path', () => {
  it('stores concurrent requests in fewer inserts, every record once, each answered 200', async () => {
    const run = uid('together');
    const watched = tap();
    const ingest = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 200 }));
    const responses = await send(ingest, bodies(run, 12, 25));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(watched.inserts.length).toBeLessThan(12);
    expect(watched.inserts.every((token) => token.startsWith('batch:'))).toBe(true);
    expect(await storedOf(run)).toBe(300);
    expect(await distinctOf(run)).toBe(300);
    // Each request's rows name it: `c` and its token, one request per value.
    const ids = await (
      await temp.store.client.query({
        query: 'SELECT user_id, ingest_request FROM ceremony_events WHERE user_id LIKE {p:String}',
        query_params: { p: `${run}-%` },
        format: 'JSONEachRow',
      })
    ).json<{ user_id: string; ingest_request: string }>();
    const requestsOf = new Map<string, Set<string>>();
    for (const row of ids) {
      const request = row.user_id.slice(run.length + 1).split('-')[0]!;
      requestsOf.set(row.ingest_request, (requestsOf.get(row.ingest_request) ?? new Set()).add(request));
    }
    expect(requestsOf.size).toBe(12);
    expect([...requestsOf.keys()].every((id) => /^c[0-9a-f]{32}$/.test(id))).toBe(true);
    expect([...requestsOf.values()].every((requests) => requests.size === 1)).toBe(true);
  });

  it('stores a retry once: from memory, and after a restart from ingest_requests', async () => {
    const run = uid('retry');
    const watched = tap();
    const all = bodies(run, 4, 10);
    const first = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    expect((await send(first, all)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const inserted = watched.inserts.length;
    expect((await send(first, all)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(watched.inserts.length, 'a retry known to this process inserts nothing').toBe(inserted);
    // A new process: no memory, the same store.
    const restarted = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    expect((await send(restarted, all)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(watched.inserts.length, 'a retry after a restart inserts nothing').toBe(inserted);
    expect(await storedOf(run)).toBe(40);
    expect(await distinctOf(run)).toBe(40);
  });

  it('answers 503 to every request of an insert whose answer was lost, and stores their retries once', async () => {
    const run = uid('lost');
    const watched = tap({ loseAnswers: 1 });
    const ingest = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    const all = bodies(run, 3, 5);
    const statuses = (await send(ingest, all)).map((r) => r.status);
    expect(statuses).toContain(503);
    expect(await storedOf(run), 'the lost answer’s rows are stored').toBeGreaterThan(0);
    expect((await send(ingest, all)).map((r) => r.status)).toEqual([200, 200, 200]);
    // And once more through a restarted process.
    const restarted = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    expect((await send(restarted, all)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await storedOf(run)).toBe(15);
    expect(await distinctOf(run)).toBe(15);
  });

  it('a batch refused for one row: that record is rejected alone, the rest stored once, also on retries', async () => {
    const run = uid('refused');
    const all = bodies(run, 4, 5);
    const bad = new Set([`${run}-2-3`]);
    const watched = tap({ bad });
    const ingest = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    for (let attempt = 0; attempt < 2; attempt++) {
      const responses = await send(ingest, all);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const rejected = await Promise.all(
        responses.map(async (r) =>
          Number(((await r.json()) as { partialSuccess?: { rejectedLogRecords?: string } }).partialSuccess?.rejectedLogRecords ?? 0),
        ),
      );
      expect(rejected).toEqual([0, 0, 1, 0]);
    }
    const restarted = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    expect((await send(restarted, all)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await storedOf(run)).toBe(19);
    expect(await distinctOf(run)).toBe(19);
    expect(
      await count("SELECT count() AS n FROM quarantine WHERE reason = 'storage_rejected' AND position(raw_record, {p:String}) > 0", {
        p: run,
      }),
    ).toBe(1);
    // The batch stored nothing; each request went the per-request way, and its rows say so.
    expect(
      await count("SELECT countIf(ingest_request LIKE 'r%') AS n FROM ceremony_events WHERE user_id LIKE {p:String}", { p: `${run}-%` }),
    ).toBe(19);
  });

  it('keeps the per-request insert for a request whose rows span two partitions', async () => {
    const run = uid('span');
    const watched = tap();
    const ingest = handler(watched.client, createCoalescedSink(watched.client, { intervalMs: 100 }));
    const now = Date.now();
    const body = otlpJson(
      [now - 60_000, now - 40 * 86_400_000].map((timeMs, i) => ({
        eventName: 'auth.sign_in',
        timeMs,
        attributes: { 'user.id': `${run}-0-${i}`, 'auth.method': 'passkey', 'auth.result': 'success' },
      })),
    );
    for (let attempt = 0; attempt < 2; attempt++) expect((await ingest(postJson(body))).status).toBe(200);
    expect(watched.inserts.some((token) => token.startsWith('batch:'))).toBe(false);
    expect(await storedOf(run)).toBe(2);
    expect(
      await count("SELECT countIf(ingest_request LIKE 'r%') AS n FROM ceremony_events WHERE user_id LIKE {p:String}", { p: `${run}-%` }),
    ).toBe(2);
  });
});
