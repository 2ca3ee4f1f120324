/**
 * Per-read limits (lib/query.ts) against the real embedded engine: a named read over its time or
 * memory limit fails with ClickHouse's limit error, which the API answers 503 naming the limit
 * (never 500); a read cannot write; its threads run at the nice value asked (QUERY_NICE) and
 * return to 0 after it; and none of it leaks — afterwards, on
 * the SAME session (one read session, pinned), the session's settings are the defaults, an insert
 * works, and a normal read gets exactly its own rows (no leftover output of the failed read).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { unexpectedErrorResponse } from '@/lib/api/errors';
import { createStorage, setStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { defineQuery, runQuery } from '@/lib/query';

let store: Storage;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-limits-'));
  // One read session: every call below runs on the same chDB session.
  store = createStorage(parseEnv({ DATA_DIR: dataDir }), { readSessions: 1 });
  setStorage(store);
  await store.client.command({ query: 'CREATE TABLE limits_probe (n UInt64) ENGINE = MergeTree ORDER BY n' });
  await store.client.insert({ table: 'limits_probe', values: [{ n: 1 }, { n: 2 }], format: 'JSONEachRow' });
});

afterAll(async () => {
  setStorage(undefined);
  await store.client.close();
  await store.ingestClient.close();
  await store.stateClient.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// The first branch answers at once, so a failure in the second comes after output was produced.
const slowRead = defineQuery({
  name: 'limits-slow',
  params: z.object({ n: z.number().int() }),
  row: z.object({ x: z.coerce.number() }),
  sql: 'SELECT 1 AS x UNION ALL SELECT count() AS x FROM numbers({n:UInt64}) WHERE sipHash64(number) = 1',
});
const hungryRead = defineQuery({
  name: 'limits-hungry',
  params: z.object({ n: z.number().int() }),
  row: z.object({ x: z.coerce.number() }),
  sql: 'SELECT 1 AS x UNION ALL SELECT length(groupArray(number)) AS x FROM numbers({n:UInt64})',
});
const countRead = defineQuery({
  name: 'limits-count',
  params: z.object({}),
  row: z.object({ c: z.coerce.number() }),
  sql: 'SELECT count() AS c FROM limits_probe -- a trailing comment must not swallow the limits',
});
const writingRead = defineQuery({
  name: 'limits-writing',
  params: z.object({}),
  row: z.object({}),
  sql: 'INSERT INTO limits_probe SELECT 99',
});

/** How many of this process's threads run at each nice value (/proc/self/task/<tid>/stat, field 19). */
function threadsByNice(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    counts.set(nice, (counts.get(nice) ?? 0) + 1);
  }
  return counts;
}
/** CAP_SYS_NICE (bit 23 of the effective capabilities): without it the engine leaves the nice value alone. */
const canNice = (() => {
  const line = fs.readFileSync('/proc/self/status', 'utf8').match(/^CapEff:\s*([0-9a-f]+)$/m);
  return line ? (BigInt(`0x${line[1]}`) & (1n << 23n)) !== 0n : false;
})();

/** The session's own settings, read the way the state pass reads (no limits of its own). */
async function sessionSettings() {
  const result = await store.client.query({
    query:
      "SELECT getSetting('readonly') AS ro, getSetting('max_execution_time') AS met, getSetting('max_memory_usage') AS mmu, getSetting('log_comment') AS lc",
    format: 'JSONEachRow',
  });
  return (await result.json<{ ro: number; met: number; mmu: number; lc: string }>())[0];
}

async function failure(promise: Promise<unknown>): Promise<Error & { type?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { type?: string };
  }
  throw new Error('expected the read to fail');
}

/** After a failed read, the same session still writes and reads exactly. */
async function sessionIsClean(expectedRows: number) {
  expect(await sessionSettings()).toEqual({ ro: 0, met: 0, mmu: 0, lc: '' });
  await store.client.insert({ table: 'limits_probe', values: [{ n: expectedRows + 1 }], format: 'JSONEachRow' });
  expect(await runQuery(countRead, {})).toEqual([{ c: expectedRows + 1 }]);
}

describe('per-read limits', () => {
  it('a normal read runs under the limits and leaves the session as it found it', async () => {
    expect(await runQuery(countRead, {})).toEqual([{ c: 2 }]);
    expect(await sessionSettings()).toEqual({ ro: 0, met: 0, mmu: 0, lc: '' });
  });

  it('a read over its time limit fails with TIMEOUT_EXCEEDED → 503 query_timeout; nothing leaks', async () => {
    const error = await failure(runQuery(slowRead, { n: 1e12 }, { limits: { maxExecutionTime: 0.2 } }));
    expect(error.type).toBe('TIMEOUT_EXCEEDED');
    const response = unexpectedErrorResponse(error, 'test');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeTruthy();
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'query_timeout',
      message: expect.stringContaining('QUERY_MAX_EXECUTION_TIME'),
    });
    await sessionIsClean(2);
  });

  it('a read over its memory limit fails with MEMORY_LIMIT_EXCEEDED → 503 query_memory_limit; nothing leaks', async () => {
    const error = await failure(runQuery(hungryRead, { n: 10_000_000 }, { limits: { maxMemoryUsage: 4 * 1024 * 1024 } }));
    expect(error.type).toBe('MEMORY_LIMIT_EXCEEDED');
    const response = unexpectedErrorResponse(error, 'test');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('query_memory_limit');
    await sessionIsClean(3);
  });

  it('the same reads pass under the default limits', async () => {
    expect(await runQuery(hungryRead, { n: 1_000_000 })).toEqual(expect.arrayContaining([{ x: 1 }, { x: 1_000_000 }]));
  });

  it('a read is readonly: a named query that writes is refused', async () => {
    const error = await failure(runQuery(writingRead, {}));
    expect(error.type).toBe('READONLY');
    await sessionIsClean(4);
  });

  it.runIf(canNice)('a read runs its threads at the nice value asked, and they return to 0 when it ends', async () => {
    // A CPU-bound read (its pipeline threads do the work), stopped by its time limit after 1.5 s. 17
    // is a value nothing else uses: other test files may run reads (at QUERY_NICE) in this process.
    expect(threadsByNice().get(17) ?? 0).toBe(0);
    const read = failure(runQuery(slowRead, { n: 1e12 }, { limits: { maxExecutionTime: 1.5, nice: 17 } }));
    let during = 0;
    for (let i = 0; i < 50 && during === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      during = threadsByNice().get(17) ?? 0;
    }
    expect((await read).type).toBe('TIMEOUT_EXCEEDED');
    expect(during).toBeGreaterThan(0);
    expect(threadsByNice().get(17) ?? 0).toBe(0);
  });

  it('concurrent limited reads and writes on the pinned session each get their own answer', async () => {
    const results = await Promise.allSettled([
      runQuery(slowRead, { n: 1e12 }, { limits: { maxExecutionTime: 0.1 } }),
      runQuery(countRead, {}),
      runQuery(hungryRead, { n: 10_000_000 }, { limits: { maxMemoryUsage: 4 * 1024 * 1024 } }),
      runQuery(countRead, {}),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseFulfilledResult<unknown>).value).toEqual([{ c: 5 }]);
    expect((results[3] as PromiseFulfilledResult<unknown>).value).toEqual([{ c: 5 }]);
  });
});
