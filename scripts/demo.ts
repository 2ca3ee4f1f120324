/**
 * The demo population: streams a simulated passkey rollout (lib/simulator) through the project's
 * own SDK (`createServerTelemetry`) to the product's real OTLP/HTTP endpoint, back-dated over the
 * last `days` days, so every dashboard page has data.
 *
 *   npm run demo                                   # starts the app, then 5,000 users over 90 days
 *   npx tsx scripts/demo.ts --endpoint http://127.0.0.1:3000 --token … --users 1000 --days 30 --seed 1
 *
 * Bounded memory at any size: users are generated in chunks, and generation pauses whenever more
 * than HIGH_WATER records are waiting to be acknowledged by the endpoint (the batch processor drops
 * records beyond its queue, so back-pressure is ours to apply). The summary counts what the ingest rejected (OTLP
 * partial success) and what never arrived (failed exports), so a clean run is provable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { z } from 'zod';
import { ConfigError, dataDir, parseEnv } from '../lib/env';
import { emitSimEvent, simulatePopulation, zPopulationOptions, type SimEvent, type SimTelemetry } from '../lib/simulator';
import { createServerTelemetry, type ServerTelemetry } from '@passkey-rollout/telemetry/server';

export interface DemoOptions {
  endpoint: string;
  token: string;
  users: number;
  days: number;
  seed: number;
  /** End of the simulated period (epoch ms). Default: now. */
  now?: number;
  /** Progress and summary lines. Default: console.log. */
  log?: (line: string) => void;
  progressIntervalMs?: number;
}

export interface DemoSummary {
  users: number;
  /** Records handed to the SDK. */
  events: number;
  /** Records in exports the endpoint answered 2xx. */
  exported: number;
  /** Records the endpoint rejected (OTLP partial success) — quarantined, not stored. */
  rejected: number;
  /** Records in exports that failed (network, 4xx/5xx after retries) or never acknowledged — lost. */
  failed: number;
  seconds: number;
  eventsPerSecond: number;
}

const zDemoOptions = zPopulationOptions.omit({ now: true }).extend({
  endpoint: z.url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL such as http://127.0.0.1:3000' }),
  token: z.string().min(1, 'an ingest token is required (--token, INGEST_TOKENS, or DATA_DIR/ingest-token)'),
  now: zPopulationOptions.shape.now.optional(),
});

const CHUNK_USERS = 200;
/** Records emitted but not yet acknowledged above which generation waits (well below maxQueueSize). */
const HIGH_WATER = 25_000;
/** Failed records after which the run stops: the endpoint is down or refusing us. */
const GIVE_UP_AFTER_FAILED = 20_000;
const BATCH = { maxQueueSize: 100_000, maxExportBatchSize: 5_000, scheduledDelayMillis: 200, exportTimeoutMillis: 300_000 };
/** Per request: a busy embedded engine on a small machine can take tens of seconds for a large batch; a timed-out export is lost. */
const REQUEST_TIMEOUT_MS = 240_000;

// ---------------------------------------------------------------------------------------------
// The sink: the SDK on two services (browser side, server side), with delivery accounting

export interface DeliveryStats {
  /** Records handed to the SDK through the sink. */
  emitted: number;
  exported: number;
  failed: number;
  rejected: number;
  lastError?: string;
}

/** Wraps the real OTLP exporter to count what each export delivered or lost. */
class CountingExporter implements LogRecordExporter {
  constructor(
    private readonly inner: LogRecordExporter,
    private readonly stats: DeliveryStats,
  ) {}

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(logs, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.stats.exported += logs.length;
      else {
        this.stats.failed += logs.length;
        this.stats.lastError = result.error?.message ?? 'export failed';
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

const PARTIAL_SUCCESS = 'Received Partial Success response:';

/** The stock exporter reports an OTLP partial success only through the diag logger: count it there. */
function partialSuccessCounter(stats: DeliveryStats, log: (line: string) => void): DiagLogger {
  const rejectedOf = (detail: unknown): number => {
    try {
      const parsed = JSON.parse(String(detail)) as { rejectedLogRecords?: number | string; errorMessage?: string };
      if (parsed.errorMessage) stats.lastError = parsed.errorMessage;
      return Number(parsed.rejectedLogRecords ?? 0) || 0;
    } catch {
      return 0;
    }
  };
  const warn = (message: string, ...args: unknown[]) => {
    if (message === PARTIAL_SUCCESS) stats.rejected += rejectedOf(args[0]);
    else log(`[demo] otel: ${message}`);
  };
  return {
    error: (message, ...args) => log(`[demo] otel error: ${message} ${args.map(String).join(' ').slice(0, 300)}`),
    warn,
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
}

export interface DemoSink {
  telemetry: SimTelemetry;
  stats: DeliveryStats;
  /** Emits one simulated event through the SDK (and counts it). */
  emit(event: SimEvent): void;
  /** Records emitted and not yet acknowledged by the endpoint (delivered or failed). */
  pending(): number;
  /**
   * Waits until at most `limit` records are pending. Back-pressure by our own count, not by
   * forceFlush: the LoggerProvider gives up on a flush after 30 s while the export carries on, and
   * a flush in progress makes the next one return at once — under a slow endpoint the queue would
   * overflow and records be dropped. Gives up (returns false) after STALL_MS without progress.
   */
  drain(limit: number): Promise<boolean>;
  shutdown(): Promise<void>;
}

const STALL_MS = 5 * 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDemoSink(options: { endpoint: string; token: string; log?: (line: string) => void }): DemoSink {
  const log = options.log ?? console.log;
  const stats: DeliveryStats = { emitted: 0, exported: 0, failed: 0, rejected: 0 };
  diag.setLogger(partialSuccessCounter(stats, log), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const service = (serviceName: string): ServerTelemetry => {
    const exporter = new OTLPLogExporter({
      url: `${options.endpoint.replace(/\/+$/, '')}/v1/logs`,
      headers: { Authorization: `Bearer ${options.token}` },
      compression: 'gzip' as never,
      timeoutMillis: REQUEST_TIMEOUT_MS,
    });
    return createServerTelemetry({
      serviceName,
      exporter: new CountingExporter(exporter, stats),
      batch: BATCH,
      resourceAttributes: { 'deployment.environment.name': 'production', 'service.namespace': 'acme-demo' },
      strictPrivacy: true,
    });
  };
  const web = service('acme-web');
  const api = service('acme-api');
  const telemetry: SimTelemetry = { web, api };
  const pending = () => stats.emitted - stats.exported - stats.failed;
  return {
    telemetry,
    stats,
    pending,
    emit(event) {
      emitSimEvent(telemetry, event);
      stats.emitted += 1;
    },
    async drain(limit) {
      let acknowledged = stats.exported + stats.failed;
      let lastProgress = Date.now();
      while (pending() > limit) {
        await sleep(20);
        const now = stats.exported + stats.failed;
        if (now !== acknowledged) {
          acknowledged = now;
          lastProgress = Date.now();
        } else if (Date.now() - lastProgress > STALL_MS) {
          return false;
        }
      }
      return true;
    },
    shutdown: async () => {
      await Promise.all([web.shutdown(), api.shutdown()]);
      diag.disable();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The run

const numberFormat = new Intl.NumberFormat('en-US');
const n = (value: number) => numberFormat.format(Math.round(value));

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const parsed = zDemoOptions.safeParse(options);
  if (!parsed.success)
    throw new Error(`invalid demo options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { endpoint, token, users, days, seed } = parsed.data;
  const now = parsed.data.now ?? Date.now();
  const log = options.log ?? console.log;
  const progressEvery = options.progressIntervalMs ?? 3_000;

  log(`[demo] streaming ${n(users)} simulated users over the last ${days} days (seed ${seed}) to ${endpoint}/v1/logs`);
  const sink = createDemoSink({ endpoint, token, log });
  const started = performance.now();
  let done = 0;
  let lastProgress = started;
  let drained = true;

  try {
    for (const chunk of simulatePopulation({ users, days, seed, now }, CHUNK_USERS)) {
      for (const user of chunk) for (const event of user.events) sink.emit(event);
      done += chunk.length;
      drained = await sink.drain(HIGH_WATER);
      if (!drained) break;
      if (sink.stats.failed >= GIVE_UP_AFTER_FAILED) {
        log(`[demo] stopping: ${n(sink.stats.failed)} events failed to export (${sink.stats.lastError ?? 'unknown error'})`);
        break;
      }
      const at = performance.now();
      if (at - lastProgress >= progressEvery) {
        lastProgress = at;
        const seconds = (at - started) / 1000;
        const acknowledged = sink.stats.exported + sink.stats.failed;
        log(
          `[demo] ${n(done)}/${n(users)} users (${((done / users) * 100).toFixed(1)} %) · ${n(sink.stats.emitted)} events sent, ` +
            `${n(acknowledged)} acknowledged · ${n(acknowledged / seconds)} events/s`,
        );
      }
    }
    if (drained) drained = await sink.drain(0);
    if (!drained)
      log(`[demo] the endpoint stopped acknowledging for ${STALL_MS / 60_000} min; ${n(sink.pending())} events were not delivered`);
  } finally {
    await sink.shutdown();
  }

  const events = sink.stats.emitted;
  const seconds = (performance.now() - started) / 1000;
  const summary: DemoSummary = {
    users,
    events,
    exported: sink.stats.exported,
    rejected: sink.stats.rejected,
    failed: sink.stats.failed + sink.pending(),
    seconds: Math.round(seconds * 10) / 10,
    eventsPerSecond: Math.round(events / seconds),
  };
  log(
    `[demo] sent ${n(events)} events for ${n(users)} users in ${summary.seconds} s (${n(summary.eventsPerSecond)} events/s): ` +
      `${n(summary.exported - summary.rejected)} accepted, ${n(summary.rejected)} rejected, ${n(summary.failed)} lost`,
  );
  if (summary.rejected > 0 || summary.failed > 0) log(`[demo] last problem: ${sink.stats.lastError ?? 'unknown'}`);
  return summary;
}

// ---------------------------------------------------------------------------------------------
// CLI: against an already running server

/** The token the server uses: INGEST_TOKENS, else the one it generated in DATA_DIR (never a new one). */
function defaultToken(): string | undefined {
  try {
    const e = parseEnv();
    if (e.INGEST_TOKENS.length > 0) return e.INGEST_TOKENS[0];
    const file = path.join(dataDir(e), 'ingest-token');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() || undefined : undefined;
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      users: { type: 'string', default: '5000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '42' },
    },
  });
  const summary = await runDemo({
    endpoint: values.endpoint,
    token: values.token ?? defaultToken() ?? '',
    users: Number(values.users),
    days: Number(values.days),
    seed: Number(values.seed),
  });
  if (summary.rejected > 0 || summary.failed > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(`[demo] ${(error as Error).message}`);
    process.exit(1);
  });
}
