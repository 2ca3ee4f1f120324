/**
 * Retention (lib/data-retention.ts) on the real embedded engine: RETENTION_DAYS puts the raw events,
 * the ceremony state and the credential state on one horizon through TTLs, quarantine keeps its
 * shorter 14 days, a restart with the same setting changes nothing, expired rows go at the next
 * merge, and unsetting it removes the TTLs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { migrate } from '@/lib/migrate';
import { applyRetention, currentTtl } from '@/lib/data-retention';

let store: Storage;
let dataDir: string;
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().replace('T', ' ').replace('Z', '');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-retention-'));
  store = createStorage(parseEnv({ DATA_DIR: dataDir }));
  await migrate(store);
}, 120_000);
afterAll(async () => {
  await store.client.close();
  await store.ingestClient.close();
  await store.stateClient.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const rows = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();
const ttlOf = async (table: string) =>
  currentTtl(
    (
      await rows<{ engine_full: string }>(`SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = '${table}'`)
    )[0]?.engine_full ?? '',
  );

describe('retention', () => {
  it('sets one horizon on events, ceremony and flow state, flow rollups, credentials, device days, exposures and sign-in days, and leaves quarantine at its 14 days', async () => {
    const changes = await applyRetention(store.client, 30);
    expect(changes.map((change) => change.table).sort()).toEqual([
      'ceremony_events',
      'ceremony_states',
      'credentials',
      'flow_rollups',
      'flow_states',
      'user_device_days',
      'user_sign_in_days',
      'variant_exposures',
    ]);
    expect(await ttlOf('ceremony_events')).toMatch(/timestamp.*30/);
    expect(await ttlOf('ceremony_states')).toMatch(/hour.*30/);
    expect(await ttlOf('flow_states')).toMatch(/hour.*30/);
    expect(await ttlOf('flow_rollups')).toMatch(/hour.*30/);
    expect(await ttlOf('credentials')).toMatch(/last_used_at.*30/);
    expect(await ttlOf('user_device_days')).toMatch(/last_at.*30/);
    expect(await ttlOf('variant_exposures')).toMatch(/last_at.*30/);
    expect(await ttlOf('user_sign_in_days')).toMatch(/last_at.*30/);
    expect(await ttlOf('quarantine')).toMatch(/received_at.*14/);
    expect(await applyRetention(store.client, 30)).toEqual([]); // a restart changes nothing
  });

  it('drops expired rows at the next merge and keeps the rest', async () => {
    await store.client.insert({
      table: 'ceremony_events',
      format: 'JSONEachRow',
      values: [
        { event_name: 'auth.sign_in', timestamp: at(40), user_id: 'old-user', result: 'success', auth_method: 'passkey' },
        { event_name: 'auth.sign_in', timestamp: at(5), user_id: 'recent-user', result: 'success', auth_method: 'passkey' },
      ],
    });
    await store.client.insert({
      table: 'credentials',
      format: 'JSONEachRow',
      values: [
        { credential_id: 'expired', user_id: 'old-user', registered_at: at(60), last_used_at: at(40) },
        { credential_id: 'registered-long-ago-used-lately', user_id: 'recent-user', registered_at: at(60), last_used_at: at(2) },
      ],
    });
    await store.client.command({ query: 'OPTIMIZE TABLE ceremony_events FINAL' });
    await store.client.command({ query: 'OPTIMIZE TABLE credentials FINAL' });
    await store.client.command({ query: 'OPTIMIZE TABLE user_device_days FINAL' });
    await store.client.command({ query: 'OPTIMIZE TABLE user_sign_in_days FINAL' });
    expect((await rows<{ user_id: string }>('SELECT user_id FROM ceremony_events ORDER BY user_id')).map((row) => row.user_id)).toEqual([
      'recent-user',
    ]);
    expect((await rows<{ credential_id: string }>('SELECT credential_id FROM credentials')).map((row) => row.credential_id)).toEqual([
      'registered-long-ago-used-lately',
    ]);
    // the device days and sign-in days the views kept of those events expire with them
    for (const table of ['user_device_days', 'user_sign_in_days'])
      expect(
        (await rows<{ user_id: string }>(`SELECT user_id FROM ${table} ORDER BY user_id`)).map((row) => row.user_id),
        table,
      ).toEqual(['recent-user']);
  });

  it('a shorter horizon also shortens quarantine; unset removes the TTLs again', async () => {
    expect((await applyRetention(store.client, 7)).map((change) => change.table).sort()).toEqual([
      'ceremony_events',
      'ceremony_states',
      'credentials',
      'flow_rollups',
      'flow_states',
      'quarantine',
      'user_device_days',
      'user_sign_in_days',
      'variant_exposures',
    ]);
    expect(await ttlOf('quarantine')).toMatch(/received_at.*7/);
    expect((await applyRetention(store.client, undefined)).map((change) => change.table).sort()).toEqual([
      'ceremony_events',
      'ceremony_states',
      'credentials',
      'flow_rollups',
      'flow_states',
      'quarantine',
      'user_device_days',
      'user_sign_in_days',
      'variant_exposures',
    ]);
    expect(await ttlOf('ceremony_events')).toBeNull();
    expect(await ttlOf('quarantine')).toMatch(/received_at.*14/);
  });
});
