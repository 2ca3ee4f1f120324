/**
 * The embedded session pool (lib/clickhouse.ts): concurrent parameterized reads each get their own
 * answer, inserts through ingest's own session are visible to every read session, and the pool
 * really runs queries side by side (not one after another, as a single chDB session does).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStorage, READ_SESSIONS, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';

let store: Storage;
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-pool-'));
  store = createStorage(parseEnv({ DATA_DIR: dataDir }));
});
afterAll(async () => {
  await store.client.close();
  await store.ingestClient.close();
  await store.stateClient.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const rows = async <T>(query: string, query_params: Record<string, unknown> = {}) =>
  (await store.client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();

it('concurrent parameterized reads each get their own answer', async () => {
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      rows<{ v: number; s: string }>('SELECT {n:UInt32} * 3 AS v, {s:String} AS s', { n: i, s: `q${i}` }),
    ),
  );
  answers.forEach((answer, i) => expect(answer).toEqual([{ v: i * 3, s: `q${i}` }]));
});

it("ingest's session writes what every read session sees", async () => {
  await store.client.command({ query: 'CREATE TABLE pool_probe (n UInt32) ENGINE = MergeTree ORDER BY n' });
  await store.ingestClient.insert({ table: 'pool_probe', values: [{ n: 1 }, { n: 2 }], format: 'JSONEachRow' });
  const counts = await Promise.all(
    Array.from({ length: READ_SESSIONS * 2 }, () => rows<{ c: number }>('SELECT count() AS c FROM pool_probe')),
  );
  expect(counts.every((c) => c[0]?.c === 2)).toBe(true);
});

it('runs reads side by side', async () => {
  const started = performance.now();
  await Promise.all(Array.from({ length: READ_SESSIONS }, () => rows('SELECT sleep(0.3)')));
  // One session would take READ_SESSIONS × 0.3 s; the pool about 0.3 s.
  expect(performance.now() - started).toBeLessThan(READ_SESSIONS * 300 - 150);
});
