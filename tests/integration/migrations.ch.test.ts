/** Migrations against the real embedded ClickHouse: idempotent, and the schema matches the row mapper. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS } from '@/ingest/columns';
import { createStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { loadMigrations, migrate } from '@/lib/migrate';

let store: Storage;
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-migrate-'));
  store = createStorage(parseEnv({ DATA_DIR: dataDir }));
});
afterAll(async () => {
  await store.client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies every migration once and is idempotent', async () => {
    const first = await migrate(store);
    expect(first.applied).toEqual(loadMigrations().map((m) => m.name));
    const second = await migrate(store);
    expect(second).toEqual({ applied: [], alreadyApplied: loadMigrations().length, changedSinceApplied: [] });
    const recorded = await (
      await store.client.query({ query: 'SELECT count() AS n FROM schema_migrations FINAL', format: 'JSONEachRow' })
    ).json<{ n: number }>();
    expect(recorded[0]?.n).toBe(loadMigrations().length);
  });

  it('creates ceremony_events with exactly the columns ingest writes, in order', async () => {
    const columns = await (
      await store.client.query({
        query: "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'ceremony_events' ORDER BY position",
        format: 'JSONEachRow',
      })
    ).json<{ name: string }>();
    expect(columns.map((c) => c.name)).toEqual([...EVENT_COLUMNS]);
  });

  it('creates the credentials table, its materialized view and the quarantine with a TTL', async () => {
    const tables = await (
      await store.client.query({
        query: 'SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name',
        format: 'JSONEachRow',
      })
    ).json<{ name: string; engine: string }>();
    expect(tables).toEqual(
      expect.arrayContaining([
        { name: 'ceremony_events', engine: 'MergeTree' },
        { name: 'credentials', engine: 'AggregatingMergeTree' },
        { name: 'credentials_mv', engine: 'MaterializedView' },
        { name: 'quarantine', engine: 'MergeTree' },
      ]),
    );
    const ddl = await (await store.client.query({ query: 'SHOW CREATE TABLE quarantine', format: 'TabSeparatedRaw' })).text();
    expect(ddl).toMatch(/TTL toDateTime\(received_at\) \+ toIntervalDay\(14\)/);
  });
});
