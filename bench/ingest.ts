/**
 * `npm run bench:ingest` — ingest throughput against the running endpoint on embedded ClickHouse,
 * beside the engine's fastest raw insert of the same rows into the same table, in the same run.
 *
 *   npm run bench:ingest                       # starts its own server on a temp data dir
 *   npm run bench:ingest -- --requests 60 --batch 1000 --concurrency 2
 *
 * Paths measured (each sends the same number of records):
 *   protobuf   OTLP/HTTP protobuf requests of --batch records from this (second) process
 *   json       OTLP/HTTP JSON requests of --batch records
 *   raw        the engine's own insert of the same kind of rows, already mapped and serialized, into
 *              the same table of the same data directory after the server stopped, through the same
 *              @clickhouse/client + chDB connection: JSONCompactEachRow, TabSeparated, JSONEachRow
 *              (row formats) and JSONColumns (columnar)
 * The ratio printed is ingest (protobuf) / fastest raw.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded, startServer, waitForHealth } from '../scripts/start';
import { benchRecords, rawInsertBench } from './ingest-fixtures';
import { otlpJson, otlpProtobuf } from '../tests/helpers/otlp';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '40' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '2' },
    port: { type: 'string', default: '3217' },
  },
});
const REQUESTS = Number(values.requests);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);

async function sendAll(baseUrl: string, token: string, bodies: Array<{ body: BodyInit; type: string }>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const item = bodies[next++]!;
        const response = await fetch(`${baseUrl}/v1/logs`, {
          method: 'POST',
          body: item.body,
          headers: { 'content-type': item.type, authorization: `Bearer ${token}` },
        });
        const text = await response.text();
        if (response.status !== 200 || text.includes('rejected'))
          throw new Error(`ingest answered ${response.status}: ${text.slice(0, 200)}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  buildIfNeeded();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-bench-'));
  const token = 'bench-token';
  const baseUrl = `http://127.0.0.1:${values.port}`;
  const child = startServer(
    { ...process.env, PORT: values.port, HOST: '127.0.0.1', DATA_DIR: dataDir, INGEST_TOKENS: token, CLICKHOUSE_URL: '' },
    'pipe',
  );
  let protoRate = 0;
  let jsonRate = 0;
  try {
    await waitForHealth(baseUrl, 120_000, child);
    const total = REQUESTS * BATCH;
    console.log(
      `[bench] ${REQUESTS} requests × ${BATCH} records = ${total} records per path, concurrency ${CONCURRENCY}, node ${process.version}, ${os.cpus().length} cores`,
    );

    // Distinct records per request (distinct users and times), so deduplication never drops a block.
    const proto = Array.from({ length: REQUESTS }, (_, r) => ({
      body: otlpProtobuf(benchRecords(BATCH, `p${r}`)) as BodyInit,
      type: 'application/x-protobuf',
    }));
    const json = Array.from({ length: REQUESTS }, (_, r) => ({
      body: JSON.stringify(otlpJson(benchRecords(BATCH, `j${r}`))) as BodyInit,
      type: 'application/json',
    }));
    await sendAll(baseUrl, token, proto.slice(0, 2)); // warm-up (JIT, parser caches); stored but not timed
    const protoSeconds = await sendAll(baseUrl, token, proto.slice(2));
    protoRate = ((REQUESTS - 2) * BATCH) / protoSeconds;
    console.log(`[bench] protobuf ingest: ${Math.round(protoRate).toLocaleString('en')} events/s`);
    await sendAll(baseUrl, token, json.slice(0, 2));
    const jsonSeconds = await sendAll(baseUrl, token, json.slice(2));
    jsonRate = ((REQUESTS - 2) * BATCH) / jsonSeconds;
    console.log(`[bench] json ingest:     ${Math.round(jsonRate).toLocaleString('en')} events/s`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  // Raw insert: the engine alone, same rows, same table, same client and connection kind.
  const raw = await rawInsertBench(dataDir, REQUESTS, BATCH);
  for (const [format, rate] of Object.entries(raw))
    console.log(`[bench] raw insert ${format.padEnd(18)} ${Math.round(rate).toLocaleString('en')} rows/s`);
  const [fastestFormat, fastest] = Object.entries(raw).sort((a, b) => b[1] - a[1])[0]!;
  console.log(
    `[bench] ratio ingest/raw: protobuf ${(protoRate / fastest).toFixed(2)}, json ${(jsonRate / fastest).toFixed(2)} (against ${fastestFormat})`,
  );
  console.log(
    `[bench] goals: ratio >= 0.5 ${protoRate / fastest >= 0.5 ? 'met' : 'NOT met'}; protobuf >= 50,000 events/s ${protoRate >= 50_000 ? 'met' : 'NOT met'}`,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(`[bench] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
