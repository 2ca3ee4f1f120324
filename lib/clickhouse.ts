/**
 * The one storage interface: @clickhouse/client, given either the embedded chDB engine
 * (default, data under DATA_DIR) or a ClickHouse server / cluster / Cloud via CLICKHOUSE_URL.
 *
 * Why a globalThis singleton: chDB binds one data directory per process, and Next.js may load
 * this module more than once (separate bundles for routes and instrumentation). Every copy must
 * share the same client, so it lives on globalThis, created lazily on first use — never at
 * import time, so `next build` never opens the data directory.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, env, type Env } from './env';

export type StorageMode = 'embedded' | 'server' | 'cluster';

export interface Storage {
  client: ClickHouseClient;
  mode: StorageMode;
  /** Cluster name for ON CLUSTER DDL, when CLICKHOUSE_CLUSTER is set. */
  cluster?: string;
  /** Where embedded data lives, or the server URL (without credentials). */
  location: string;
}

const STORAGE_KEY = Symbol.for('passkey-analytics.storage');
type GlobalWithStorage = typeof globalThis & { [STORAGE_KEY]?: Storage };

export function createStorage(e: Env = env()): Storage {
  if (e.CLICKHOUSE_URL) {
    const url = new URL(e.CLICKHOUSE_URL);
    const client = createClient({
      url: e.CLICKHOUSE_URL,
      username: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
      request_timeout: 30_000,
      clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 0 },
    });
    url.username = '';
    url.password = '';
    return {
      client,
      mode: e.CLICKHOUSE_CLUSTER ? 'cluster' : 'server',
      cluster: e.CLICKHOUSE_CLUSTER,
      location: url.toString(),
    };
  }
  const dir = path.join(dataDir(e), 'clickhouse');
  fs.mkdirSync(dir, { recursive: true });
  const client = createClient({
    // chdb types the connection against @clickhouse/client-common; the client re-bundles the same
    // interface under its own path, so the two declarations differ only by name.
    connection: createChdbConnection({ path: dir }) as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'],
    clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 0 },
  });
  return { client, mode: 'embedded', location: dir };
}

/** The process-wide storage, created on first use. */
export function storage(): Storage {
  const g = globalThis as GlobalWithStorage;
  g[STORAGE_KEY] ??= createStorage();
  return g[STORAGE_KEY];
}

/** For tests and tools that manage their own storage (e.g. a temporary data directory). */
export function setStorage(value: Storage | undefined): void {
  (globalThis as GlobalWithStorage)[STORAGE_KEY] = value;
}

/** Server mode: create CLICKHOUSE_DATABASE (on every node of the cluster) before migrating. */
export async function ensureDatabase(e: Env = env()): Promise<void> {
  if (!e.CLICKHOUSE_URL) return; // embedded: the data directory is the database
  const admin = createClient({ url: e.CLICKHOUSE_URL, username: e.CLICKHOUSE_USER, password: e.CLICKHOUSE_PASSWORD });
  try {
    const onCluster = e.CLICKHOUSE_CLUSTER ? ` ON CLUSTER \`${e.CLICKHOUSE_CLUSTER}\`` : '';
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS \`${e.CLICKHOUSE_DATABASE}\`${onCluster}` });
  } finally {
    await admin.close();
  }
}
