/**
 * The opening of the cost scripts (bench/query-costs.ts, stage-costs.ts, alert-costs.ts): an existing
 * data directory opened as the app opens it (migrations applied), with one ceremony state pass run
 * first so the figures are those of a warm server. Stop the app first: one process per directory.
 */
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
  return {
    store,
    close: async () => {
      await store.client.close();
      await store.ingestClient.close();
      await store.stateClient.close();
    },
  };
}
