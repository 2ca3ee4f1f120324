/** The benchmark population's storage: its data directory opened with chDB, one-value queries, copies of a directory tree. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createStorage, type Storage } from '../../lib/clickhouse';
import { parseEnv } from '../../lib/env';

export function openStorage(dataDir: string): Storage {
  return createStorage(parseEnv({ DATA_DIR: dataDir }));
}

export async function closeStorage(store: Storage): Promise<void> {
  await store.client.close();
  if (store.ingestClient !== store.client) await store.ingestClient.close();
  if (store.stateClient !== store.client) await store.stateClient.close();
}

export async function scalar(store: Storage, query: string): Promise<number> {
  const rows = await (await store.client.query({ query, format: 'JSONEachRow' })).json<{ v: number | string }>();
  return Number(rows[0]?.v ?? 0);
}

/** Copies a directory tree with `cp -a` (keeps the engine's relative symlinks as they are). */
export function copyDir(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const result = spawnSync('cp', ['-a', from, to], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`cp -a ${from} ${to} failed (${result.status})`);
}

export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}
