/**
 * Storage errors split into permanent and retryable (ingest/sink.ts, ingest/handler.ts;
 * docs/security.md "Storage errors"), on the real embedded engine:
 *
 * - a row the engine refuses (a fault injected into the values on their way to the real insert:
 *   an unparsable DateTime64) costs its own record only — isolated by halving, rejected in
 *   `partial_success` with the engine's reason and quarantined, every other record stored once,
 *   also when the client retries the request unchanged;
 * - a batch whose every record is refused is a 400 with the reason, not a 503 retried forever;
 * - a storage that cannot be reached is retryable: 503 with Retry-After, nothing claimed.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEventsIsolating, isPermanentStorageError } from '@/ingest/sink';
import { countOf, directIngest, postJson } from '../helpers/direct-ingest';
import { otlpJson, uid } from '../helpers/otlp';
import { withUnparsableTime } from '../helpers/insert-faults';
import { tempStore } from '../helpers/temp-store';

const temp = tempStore('pa-storage-errors-');
beforeAll(() => temp.open(), 120_000);
afterAll(() => temp.close());

/** The real ingest client, except that rows of the `bad` users reach the engine with an unparsable time. */
function faultyClient(bad: ReadonlySet<string>): ClickHouseClient {
  const real = temp.store.ingestClient;
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'insert') return Reflect.get(target, property, receiver);
      return async (params: Parameters<ClickHouseClient['insert']>[0]) => {
        if (params.table !== 'ceremony_events') return real.insert(params);
        return real.insert({ ...params, values: await withUnparsableTime(params.values, bad) });
      };
    },
  });
}

const handler = (client: () => ClickHouseClient) => directIngest(client);
const count = (query: string, params: Record<string, unknown>) => countOf(temp.store.client, query, params);

const signIns = (users: string[]) =>
  otlpJson(
    users.map((user, i) => ({
      eventName: 'auth.sign_in',
      timeMs: Date.now() - 60_000 + i,
      attributes: { 'user.id': user, 'auth.method': 'passkey', 'auth.result': 'success' },
    })),
  );

describe('a row the engine refuses', () => {
  it('costs its own record only: rejected with the reason, quarantined, the rest stored once — also on a retry', async () => {
    const run = uid('refused');
    const users = Array.from({ length: 9 }, (_, i) => `${run}-${i}`);
    const bad = new Set([users[3]!, users[7]!]);
    const ingest = handler(() => faultyClient(bad));
    const body = signIns(users);
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await ingest(postJson(body));
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
      expect(answer.partialSuccess.rejectedLogRecords).toBe('2');
      expect(answer.partialSuccess.errorMessage).toContain('the storage refused this record: CANNOT_PARSE_DATETIME');
    }
    const prefix = `${run}-%`;
    expect(await count('SELECT count() AS n FROM ceremony_events WHERE user_id LIKE {p:String}', { p: prefix })).toBe(7);
    expect(await count('SELECT uniqExact(user_id) AS n FROM ceremony_events WHERE user_id LIKE {p:String}', { p: prefix })).toBe(7);
    expect(
      await count("SELECT count() AS n FROM quarantine WHERE reason = 'storage_rejected' AND position(raw_record, {p:String}) > 0", {
        p: run,
      }),
    ).toBe(2);
  });

  it('isolates with a bounded number of inserts and keeps the rows in order', async () => {
    const run = uid('isolate');
    const users = Array.from({ length: 64 }, (_, i) => `${run}-${i}`);
    const { mapRecords } = await import('@/ingest/to-rows');
    const { decodeJson } = await import('@/ingest/decode');
    const { rows } = mapRecords(decodeJson(JSON.stringify(signIns(users))), Date.now());
    let inserts = 0;
    const client = faultyClient(new Set([users[40]!]));
    const counting = new Proxy(client, {
      get: (target, property, receiver) =>
        property === 'insert'
          ? (params: Parameters<ClickHouseClient['insert']>[0]) => {
              inserts += 1;
              return target.insert(params);
            }
          : Reflect.get(target, property, receiver),
    });
    const failures = await insertEventsIsolating(counting, rows, `isolate-${run}`, () => undefined);
    expect(failures.map((failure) => failure.row)).toEqual([40]);
    expect(inserts).toBeLessThanOrEqual(1 + 2 * Math.log2(64));
    expect(await count('SELECT count() AS n FROM ceremony_events WHERE user_id LIKE {p:String}', { p: `${run}-%` })).toBe(63);
  });

  it('a batch whose every record is refused is a 400 naming the reason, nothing stored', async () => {
    const run = uid('all-refused');
    const users = [`${run}-a`, `${run}-b`];
    const response = await handler(() => faultyClient(new Set(users)))(postJson(signIns(users)));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(
      'Nothing was stored: the storage refused this record: CANNOT_PARSE_DATETIME',
    );
    expect(await count('SELECT count() AS n FROM ceremony_events WHERE user_id LIKE {p:String}', { p: `${run}-%` })).toBe(0);
  });
});

describe('a storage that cannot be reached', () => {
  it('is retryable: 503 with Retry-After, claiming nothing stored', async () => {
    const down = createClient({ url: 'http://127.0.0.1:1', request_timeout: 2000 });
    try {
      const error = await down.insert({ table: 't', values: [[1]], format: 'JSONCompactEachRow' }).catch((e: unknown) => e);
      expect(isPermanentStorageError(error)).toBe(false);
      const response = await handler(() => down)(postJson(signIns([uid('down')])));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { message: string }).message).toContain('nothing from this request was accepted');
    } finally {
      await down.close();
    }
  });
});
