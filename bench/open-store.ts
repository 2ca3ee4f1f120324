/**
 * The opening of the cost scripts (bench/query-costs.ts, stage-costs.ts, alert-costs.ts): an existing
 * data directory opened as the app opens it (migrations applied), with one ceremony state pass run
 * first so the figures are those of a warm server. Stop the app first: one process per directory.
 *
 * Then, and again before closing, it waits for the store's pending deletions (the state pass deletes
 * superseded versions in the background, `lib/ceremony-states.ts`): a deletion left unfinished when a
 * process exits starts over in the next process that opens the store, and ran beside every
 * measurement of short scripts on a copy of the population (2–2.5× their quiet time, 2026-12-07).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { runCeremonyStatePass } from '../lib/ceremony-states';
import { createStorage, setStorage } from '../lib/clickhouse';
import { parseEnv } from '../lib/env';
import { migrate } from '../lib/migrate';

export async function openBenchStore(dataDir = './.data') {
  const store = createStorage(parseEnv({ DATA_DIR: dataDir }));
  setStorage(store);
  await migrate(store);
  const pass = await runCeremonyStatePass(store.stateClient);
  console.log(`state pass: ${pass.rebuilt} hours rebuilt, ${pass.patched} ceremonies patched in ${pass.ms} ms`);
  await settleDeletions(store.client);
  return {
    store,
    close: async () => {
      await settleDeletions(store.client);
      await store.client.close();
      await store.ingestClient.close();
      await store.stateClient.close();
    },
  };
}

/** Waits until the store has no unfinished mutation (the state pass's deletions), saying so when it waits. */
export async function settleDeletions(client: ClickHouseClient, timeoutMs = 600_000): Promise<void> {
  const started = Date.now();
  for (let round = 0; ; round += 1) {
    const [row] = await (
      await client.query({
        query: 'SELECT count() AS n, sum(parts_to_do) AS parts FROM system.mutations WHERE database = currentDatabase() AND NOT is_done',
        format: 'JSONEachRow',
      })
    ).json<{ n: number | string; parts: number | string }>();
    if (Number(row?.n ?? 0) === 0) break;
    if (Date.now() - started > timeoutMs) throw new Error(`${row?.n} deletions still pending after ${timeoutMs / 1000} s`);
    if (round % 20 === 0) console.log(`waiting for ${row?.n} pending deletions (${row?.parts} parts to rewrite)…`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (Date.now() - started > 1_000) console.log(`pending deletions done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
