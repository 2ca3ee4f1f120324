/**
 * A private embedded store in a temp directory, migrated, for integration tests that talk to the
 * engine directly (not through the app):
 *
 *   const temp = tempStore('pa-retention-');
 *   beforeAll(() => temp.open(), 120_000);
 *   afterAll(() => temp.close());
 *   ... temp.store.client
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { MIGRATIONS_DIR, migrate } from '@/lib/migrate';

export function tempStore(prefix: string) {
  const temp = {
    store: undefined as unknown as Storage,
    dataDir: '',
    /** `before`: only the migrations numbered below it (`'0016'`): a store at an older schema, to upgrade. */
    async open(options: { before?: string } = {}) {
      temp.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      temp.store = createStorage(parseEnv({ DATA_DIR: temp.dataDir }));
      if (!options.before) {
        await migrate(temp.store);
        return;
      }
      const older = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-old-schema-'));
      try {
        for (const file of fs.readdirSync(MIGRATIONS_DIR).filter((name) => name < options.before!))
          fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(older, file));
        await migrate(temp.store, older);
      } finally {
        fs.rmSync(older, { recursive: true, force: true });
      }
    },
    async close() {
      await temp.store?.client.close();
      await temp.store?.ingestClient.close();
      await temp.store?.stateClient.close();
      if (temp.dataDir) fs.rmSync(temp.dataDir, { recursive: true, force: true });
    },
  };
  return temp;
}
