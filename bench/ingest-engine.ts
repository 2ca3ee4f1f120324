/**
 * The engine side of `npm run bench:ingest` (bench/ingest.ts), one process per data directory — chDB
 * opens one directory per process, and the app's server holds it while it runs:
 *
 *   tsx bench/ingest-engine.ts prepare <dir>          migrations applied, background merges off
 *   tsx bench/ingest-engine.ts raw <dir> --requests N --batch B --now MS
 *                                                     the raw insert of the benchmark's rows, per format
 *   tsx bench/ingest-engine.ts count <dir>            rows and active parts of ceremony_events
 *
 * Prints its answer as one JSON line, the last line of stdout.
 *
 * Merges off: every MergeTree table of the database gets `max_bytes_to_merge_at_max_space_in_pool = 0`
 * (ClickHouse: "0 means merges will be disabled"), a table setting kept in the data directory, so
 * the app's server started on it afterwards merges nothing either. Every path is then timed on its
 * inserts alone, and the parts `count` reports show it (one part per insert or more, none merged).
 *
 * The raw rows are the very rows the app stores for the same request: the protobuf body the
 * benchmark sends, decoded and mapped by the app's own code (ingest/decode, ingest/to-rows), named
 * by its request as the coalesced insert names them, then serialized in each format before the
 * clock starts.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { markRequest } from '../ingest/coalesced-sink';
import { decodeProtobuf } from '../ingest/decode';
import { mapRecords } from '../ingest/to-rows';
import { createStorage, type Storage } from '../lib/clickhouse';
import { parseEnv } from '../lib/env';
import { migrate } from '../lib/migrate';
import { otlpProtobuf } from '../tests/helpers/otlp';
import { BENCH_RESOURCE, BENCH_TOKEN_NAME, benchRecords, RAW_FORMATS, rawInsert, requestPrefix } from './ingest-fixtures';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '40' },
    batch: { type: 'string', default: '1000' },
    now: { type: 'string' },
  },
});
const [command, dir] = positionals;
if (!command || !dir || !['prepare', 'raw', 'count'].includes(command)) {
  console.error('usage: tsx bench/ingest-engine.ts prepare|raw|count <data dir> [--requests N --batch B --now MS]');
  process.exit(2);
}

async function rows(store: Storage, sql: string): Promise<Array<Record<string, string>>> {
  return (await store.client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, string>>();
}

async function mergeTreeTables(store: Storage): Promise<string[]> {
  return (
    await rows(store, `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' ORDER BY name`)
  ).map((row) => row.name!);
}

/** Switches background merges off in every MergeTree table; returns the tables. */
async function stopMerges(store: Storage): Promise<string[]> {
  const tables = await mergeTreeTables(store);
  for (const table of tables)
    await store.client.command({ query: `ALTER TABLE ${table} MODIFY SETTING max_bytes_to_merge_at_max_space_in_pool = 0` });
  return tables;
}

async function count(store: Storage): Promise<{ rows: number; parts: number; merges: number }> {
  const [stored] = await rows(store, 'SELECT count() AS rows FROM ceremony_events');
  const [parts] = await rows(
    store,
    `SELECT count() AS parts, countIf(level > 0) AS merged FROM system.parts
     WHERE database = currentDatabase() AND table = 'ceremony_events' AND active`,
  );
  return { rows: Number(stored!.rows), parts: Number(parts!.parts), merges: Number(parts!.merged) };
}

async function raw(store: Storage, tables: readonly string[]): Promise<Record<string, number>> {
  const requests = Number(values.requests);
  const batch = Number(values.batch);
  const now = Number(values.now);
  const rowsOf = (prefix: string) => {
    const body = otlpProtobuf(benchRecords(batch, prefix, now), BENCH_RESOURCE);
    const mapped = mapRecords(decodeProtobuf(body), Date.now(), { tokenName: BENCH_TOKEN_NAME }).rows;
    markRequest(mapped, 'c', randomUUID().replace(/-/g, ''));
    return mapped;
  };
  // Warm-up, not timed, as the app's server gets two requests before its clock starts.
  await rawInsert(store.ingestClient, RAW_FORMATS[0], [rowsOf('w0'), rowsOf('w1')]);
  const batches = Array.from({ length: requests }, (_, r) => rowsOf(requestPrefix(r)));
  const seconds: Record<string, number> = {};
  for (const format of RAW_FORMATS) {
    // Each format inserts into an empty table, as each ingest path does.
    for (const table of tables) if (table !== 'schema_migrations') await store.client.command({ query: `TRUNCATE TABLE ${table}` });
    seconds[format] = await rawInsert(store.ingestClient, format, batches);
    const stored = await count(store);
    if (stored.rows !== requests * batch) throw new Error(`${format}: ${stored.rows} rows stored, ${requests * batch} inserted`);
  }
  return seconds;
}

const store = createStorage(parseEnv({ DATA_DIR: dir, STATE_PASSES: 'off' }));
try {
  await migrate(store);
  let answer: unknown;
  if (command === 'prepare') answer = { tables: (await stopMerges(store)).length };
  else if (command === 'raw') answer = await raw(store, await stopMerges(store));
  else answer = await count(store);
  console.log(JSON.stringify(answer));
} finally {
  await store.client.close();
  await store.ingestClient.close();
  await store.stateClient.close();
}
