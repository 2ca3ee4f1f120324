/** Records and the raw-insert baseline shared by the ingest benchmark. */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENT_COLUMNS, storedEvent, type EventValues } from '../ingest/columns';
import { tabSeparated } from '../ingest/tsv';
import type { TestRecord } from '../tests/helpers/otlp';

const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
];

/** The resource and the ingest token name of the benchmark's requests (the raw rows carry the same). */
export const BENCH_RESOURCE = { 'service.name': 'bench-ingest' };
export const BENCH_TOKEN_NAME = 'bench';
/** The record-id prefix of request `r`: the same on every path, so every path stores the same rows. */
export const requestPrefix = (r: number): string => `r${r}`;

/**
 * A realistic mix: prompt + server verification + sign-in, as a relying party sends them. The same
 * (count, prefix, now) always gives the same records.
 */
export function benchRecords(count: number, prefix: string, now = Date.now() - 60_000): TestRecord[] {
  const records: TestRecord[] = [];
  for (let i = 0; i < count; i++) {
    const user = `usr_${prefix}_${i % 200}`;
    const ceremony = `${prefix}-c${Math.floor(i / 3)}`;
    const ua = USER_AGENTS[i % USER_AGENTS.length]!;
    const timeMs = now - i * 10;
    switch (i % 3) {
      case 0:
        records.push({
          eventName: 'passkey.prompt',
          timeMs,
          attributes: {
            'user.id': user,
            'webauthn.ceremony.id': ceremony,
            'webauthn.ceremony.type': 'authentication',
            'passkey.prompt.outcome': 'success',
            'passkey.prompt.duration_ms': 1800 + (i % 900),
            'passkey.surface': 'login_page',
            'user_agent.original': ua,
          },
        });
        break;
      case 1:
        records.push({
          eventName: 'passkey.authentication',
          timeMs,
          attributes: {
            'user.id': user,
            'webauthn.ceremony.id': ceremony,
            'passkey.result': 'success',
            'webauthn.credential.id': `cred-${user}`,
            'webauthn.aaguid': 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd',
            'webauthn.flags.up': true,
            'webauthn.flags.uv': true,
            'webauthn.flags.be': true,
            'webauthn.flags.bs': true,
            'webauthn.rp.id': 'example.com',
            'webauthn.origin': 'https://example.com',
            'user_agent.original': ua,
          },
        });
        break;
      default:
        records.push({
          eventName: 'auth.sign_in',
          timeMs,
          attributes: {
            'user.id': user,
            'auth.flow.id': `${prefix}-f${i}`,
            'auth.method': 'passkey',
            'auth.result': 'success',
            'user_agent.original': ua,
          },
        });
    }
  }
  return records;
}

export const RAW_FORMATS = ['JSONCompactEachRow', 'TabSeparated', 'JSONEachRow', 'JSONColumns'] as const;
export type RawFormat = (typeof RAW_FORMATS)[number];

const serializers: Record<RawFormat, (rows: EventValues[]) => string> = {
  JSONCompactEachRow: (rows) => rows.map((row) => JSON.stringify(row)).join('\n'),
  TabSeparated: tabSeparated,
  JSONEachRow: (rows) => rows.map((row) => JSON.stringify(storedEvent(row))).join('\n'),
  JSONColumns: (rows) => JSON.stringify(Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, rows.map((row) => row[i])]))),
};

/**
 * The engine's own insert of rows already mapped and serialized in `format`, through the client the
 * app inserts with and the same deduplication settings (each insert its own token). Returns seconds.
 */
export async function rawInsert(client: ClickHouseClient, format: RawFormat, rows: EventValues[][]): Promise<number> {
  const payloads = rows.map((batch) => serializers[format](batch));
  const started = performance.now();
  for (const payload of payloads) {
    await client.exec({
      query: `INSERT INTO ceremony_events (${EVENT_COLUMNS.join(', ')}) FORMAT ${format}`,
      values: Readable.from([payload]),
      clickhouse_settings: {
        insert_deduplicate: 1,
        insert_deduplication_token: randomUUID(),
        deduplicate_blocks_in_dependent_materialized_views: 1,
      },
    });
  }
  return (performance.now() - started) / 1000;
}
