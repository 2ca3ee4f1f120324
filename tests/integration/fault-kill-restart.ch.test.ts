/**
 * Fault test (issue 10, "Nothing crashes it"): the real OpenTelemetry JS SDK — LoggerProvider,
 * BatchLogRecordProcessor, the OTLP/protobuf exporter with its own retries — streams uniquely
 * numbered records to a private app instance while that process is killed with SIGKILL and started
 * again on the same DATA_DIR and port. Afterwards, read from the store itself:
 *   - every record the exporter got a 2xx for is stored (lost = 0);
 *   - no record is stored twice (duplicated = 0: a retry of a request whose answer died with the
 *     process is deduplicated by its insert token, which survives the restart);
 *   - records the exporter gave up on while the server was down (its retries are bounded: 5 attempts,
 *     about 13 s of back-off) may be missing — they were never acknowledged — and are reported.
 */
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStorage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { restartableApp } from '../helpers/restartable-app';
import { uid } from '../helpers/otlp';

const RESTARTS = Number(process.env.FAULT_RESTARTS ?? 3);
/** Records per second the relying party emits. */
const RATE = 400;
/** Extra time the server stays down per kill (FAULT_DOWN_MS=16000 outlasts the exporter's retries). */
const DOWN_MS = Number(process.env.FAULT_DOWN_MS ?? 200);
const app = restartableApp();

beforeAll(() => app.start(), 120_000);
afterAll(async () => {
  await app.stop();
  app.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it(`every acknowledged record is stored exactly once across ${RESTARTS} SIGKILL restarts`, async () => {
  const run = uid('fault');
  const serviceName = `fault-${run}`;
  const acknowledged = new Set<number>();
  const givenUp = new Set<number>();
  let exports = 0;

  const exporter = new OTLPLogExporter({
    url: `${app.baseUrl}/v1/logs`,
    headers: { Authorization: `Bearer ${app.token}` },
    timeoutMillis: 30_000,
  });
  // Observe (not replace) what the exporter reports for each batch after its own retries.
  const exportBatch = exporter.export.bind(exporter);
  exporter.export = (records: ReadableLogRecord[], done) => {
    exports += 1;
    exportBatch(records, (result) => {
      const into = result.code === ExportResultCode.SUCCESS ? acknowledged : givenUp;
      for (const record of records) into.add(Number(record.attributes['fault.seq']));
      done(result);
    });
  };
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [
      new BatchLogRecordProcessor({
        exporter,
        maxExportBatchSize: 100,
        scheduledDelayMillis: 100,
        maxQueueSize: 100_000,
        exportTimeoutMillis: 60_000,
      }),
    ],
  });
  const logger = provider.getLogger('fault-test');

  let emitted = 0;
  const emit = () => {
    for (let i = 0; i < RATE / 20; i++) {
      const seq = emitted++;
      logger.emit({
        eventName: 'auth.password.removed',
        timestamp: Date.now(),
        severityNumber: SeverityNumber.INFO,
        attributes: { 'user.id': `${run}_${seq}`, 'fault.seq': seq },
      });
    }
  };
  const ticker = setInterval(emit, 50);

  const downtimes: number[] = [];
  try {
    await sleep(2500);
    for (let restart = 0; restart < RESTARTS; restart++) {
      const killedAt = Date.now();
      await app.kill();
      await sleep(DOWN_MS);
      await app.start();
      downtimes.push(Date.now() - killedAt);
      await sleep(2000);
    }
  } finally {
    clearInterval(ticker);
  }
  await provider.forceFlush();
  await provider.shutdown();

  // The store itself, after a clean stop: rows per record number.
  await app.stop();
  const store = createStorage(parseEnv({ DATA_DIR: app.dataDir }));
  const rows = await (
    await store.client.query({
      query: 'SELECT user_id, count() AS n FROM ceremony_events WHERE service_name = {service:String} GROUP BY user_id',
      query_params: { service: serviceName },
      format: 'JSONEachRow',
    })
  ).json<{ user_id: string; n: number | string }>();
  const stored = new Map(rows.map((row) => [Number(row.user_id.slice(run.length + 1)), Number(row.n)]));
  const [q] = await (
    await store.client.query({
      query: 'SELECT count() AS n FROM quarantine WHERE service_name = {service:String}',
      query_params: { service: serviceName },
      format: 'JSONEachRow',
    })
  ).json<{ n: number | string }>();
  const quarantined = Number(q?.n ?? 0);

  const totalRows = [...stored.values()].reduce((sum, n) => sum + n, 0);
  const lost = [...acknowledged].filter((seq) => !stored.has(seq));
  const duplicated = [...stored].filter(([, n]) => n > 1).map(([seq]) => seq);
  const unacknowledgedStored = [...stored.keys()].filter((seq) => !acknowledged.has(seq)).length;
  const figures = {
    emitted,
    exports,
    acknowledged: acknowledged.size,
    givenUpByExporter: givenUp.size,
    storedDistinct: stored.size,
    storedRows: totalRows,
    lost: lost.length,
    duplicated: duplicated.length,
    unacknowledgedButStored: unacknowledgedStored,
    restarts: downtimes.length,
    downtimeMs: downtimes,
  };
  console.log(`[fault] ${JSON.stringify(figures)}`);

  expect(downtimes).toHaveLength(RESTARTS);
  expect(acknowledged.size + givenUp.size, 'every emitted record was exported once, acknowledged or given up').toBe(emitted);
  expect(acknowledged.size).toBeGreaterThan(emitted / 2);
  expect(lost, 'acknowledged records missing from the store').toEqual([]);
  expect(duplicated, 'records stored more than once').toEqual([]);
  expect(totalRows).toBe(stored.size);
  expect(quarantined).toBe(0);
  // Nothing is stored that was never sent.
  for (const seq of stored.keys()) expect(seq).toBeLessThan(emitted);
}, 150_000);
