/**
 * The product's own telemetry through OpenTelemetry JS (issue 9, docs/operations.md "Self-telemetry"):
 * ingest records by outcome, request durations by route, query durations by query name, storage
 * errors by kind — exported as OTLP/HTTP metrics to SELF_TELEMETRY_OTLP_ENDPOINT, never to the
 * product's own ingest. Without the variable every instrument is a no-op: nothing is collected,
 * nothing is sent.
 *
 * One MeterProvider per process (kept on globalThis: Next loads server modules in several bundles),
 * created on first use from the environment; it flushes on shutdown (SIGTERM / SIGINT handlers
 * of scripts/start.ts end the process, so it also flushes on `beforeExit`).
 */
import { createNoopMeter, ValueType, type Attributes, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { env, type Env } from './env';

export const SELF_TELEMETRY_SERVICE_NAME = 'passkey-rollout-analytics';
export const METRIC = {
  requestDuration: 'http.server.request.duration',
  queryDuration: 'passkey_analytics.query.duration',
  ingestRecords: 'passkey_analytics.ingest.records',
  storageErrors: 'passkey_analytics.storage.errors',
} as const;

export type StorageErrorKind = 'unavailable' | 'query_timeout' | 'query_memory_limit' | 'insert_failed' | 'other';

interface Instruments {
  provider: MeterProvider | null;
  requestDuration: Histogram;
  queryDuration: Histogram;
  ingestRecords: Counter;
  storageErrors: Counter;
}

const KEY = Symbol.for('passkey-analytics.self-telemetry');
type GlobalWithTelemetry = typeof globalThis & { [KEY]?: Instruments };

/**
 * `name=value,name2=value2` → headers, parsed as OpenTelemetry parses OTEL_EXPORTER_OTLP_HEADERS
 * (values URL-decoded; blanks, pairs without a name or value, and bad escapes skipped).
 */
export function parseHeaders(text: string | undefined): Record<string, string> {
  return parseKeyPairsIntoRecord(text);
}

/** The metrics URL of an OTLP/HTTP base URL (`…/v1/metrics` is kept as given). */
export function metricsUrl(endpoint: string): string {
  const url = endpoint.replace(/\/+$/, '');
  return url.endsWith('/v1/metrics') ? url : `${url}/v1/metrics`;
}

/** Seconds; the boundaries OpenTelemetry's HTTP conventions advise, up to a minute for slow reads. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

function instrumentsOf(meter: Meter, provider: MeterProvider | null): Instruments {
  return {
    provider,
    requestDuration: meter.createHistogram(METRIC.requestDuration, {
      unit: 's',
      description: 'Duration of /api/v1 requests, by route and status.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    queryDuration: meter.createHistogram(METRIC.queryDuration, {
      unit: 's',
      description: 'Duration of each named read query (sql/queries), by query name and outcome.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    ingestRecords: meter.createCounter(METRIC.ingestRecords, {
      unit: '{record}',
      valueType: ValueType.INT,
      description: 'OTLP log records received on /v1/logs, by outcome: accepted, rejected, quarantined.',
    }),
    storageErrors: meter.createCounter(METRIC.storageErrors, {
      unit: '{error}',
      valueType: ValueType.INT,
      description: 'Storage errors seen by the API and ingest, by kind.',
    }),
  };
}

/** Whether an endpoint is this process itself (its own port on a loopback or its HOST address). */
export function pointsAtItself(endpoint: string, config: Pick<Env, 'HOST' | 'PORT'>): boolean {
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return port === config.PORT && ['localhost', '127.0.0.1', '::1', '0.0.0.0', config.HOST].includes(host);
}

function createInstruments(config: Env): Instruments {
  if (!config.SELF_TELEMETRY_OTLP_ENDPOINT) return instrumentsOf(createNoopMeter(), null);
  if (pointsAtItself(config.SELF_TELEMETRY_OTLP_ENDPOINT, config)) {
    console.error(
      `[self-telemetry] SELF_TELEMETRY_OTLP_ENDPOINT (${config.SELF_TELEMETRY_OTLP_ENDPOINT}) is this product itself; its own telemetry is not sent there (point it at an OpenTelemetry Collector). Self-telemetry is off.`,
    );
    return instrumentsOf(createNoopMeter(), null);
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': SELF_TELEMETRY_SERVICE_NAME }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({
          url: metricsUrl(config.SELF_TELEMETRY_OTLP_ENDPOINT),
          headers: parseHeaders(config.SELF_TELEMETRY_OTLP_HEADERS),
        }),
        exportIntervalMillis: config.SELF_TELEMETRY_EXPORT_INTERVAL_MS,
        exportTimeoutMillis: Math.min(30_000, config.SELF_TELEMETRY_EXPORT_INTERVAL_MS),
      }),
    ],
  });
  process.once('beforeExit', () => void provider.shutdown().catch(() => undefined));
  return instrumentsOf(provider.getMeter(SELF_TELEMETRY_SERVICE_NAME), provider);
}

function instruments(): Instruments {
  const g = globalThis as GlobalWithTelemetry;
  g[KEY] ??= createInstruments(env());
  return g[KEY];
}

/** Whether self-telemetry is exporting (SELF_TELEMETRY_OTLP_ENDPOINT is set). */
export function selfTelemetryEnabled(): boolean {
  return instruments().provider !== null;
}

/** Export what was recorded now (shutdown paths and tests); a no-op when silent. */
export async function flushSelfTelemetry(): Promise<void> {
  await instruments().provider?.forceFlush();
}

export function recordRequest(route: string, method: string, status: number, milliseconds: number): void {
  const attributes: Attributes = { 'http.route': route, 'http.request.method': method, 'http.response.status_code': status };
  instruments().requestDuration.record(milliseconds / 1000, attributes);
}

export function recordQuery(name: string, milliseconds: number, outcome: 'ok' | 'error'): void {
  instruments().queryDuration.record(milliseconds / 1000, { 'query.name': name, outcome });
}

export function recordIngest(counts: { accepted: number; rejected: number; quarantined: number }, transport: string): void {
  const { ingestRecords } = instruments();
  for (const outcome of ['accepted', 'rejected', 'quarantined'] as const) {
    if (counts[outcome] > 0) ingestRecords.add(counts[outcome], { outcome, transport });
  }
}

export function recordStorageError(kind: StorageErrorKind, where: string): void {
  instruments().storageErrors.add(1, { kind, where });
}
