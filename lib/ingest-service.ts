/** The ingest handler wired to this process's storage, tokens and limits. */
import 'server-only';
import { createCoalescedSink, type CoalescedSink } from '@/ingest/coalesced-sink';
import { createIngestHandler } from '@/ingest/handler';
import { storage } from './clickhouse';
import { env, perEnv } from './env';
import { isErased } from './privacy/erasure';
import { recordIngest, recordStorageError } from './self-telemetry';
import { ensureReady } from './startup';
import { ingestTokens } from './tokens';
import { addressList } from './security/addresses';

const trustedProxies = perEnv((e) => addressList(e.TRUSTED_PROXIES));

// One per storage, process-wide (Next.js may load this module once per route bundle): its memory of
// the stored requests must be the only one for the data directory.
const SINKS = Symbol.for('passkey-analytics.coalesced-sinks');
type GlobalWithSinks = typeof globalThis & { [SINKS]?: WeakMap<object, CoalescedSink> };

/** The coalesced ingest path on the embedded engine, unless INGEST_COALESCE_MS is 0. */
function coalescedSink(): CoalescedSink | undefined {
  const store = storage();
  const intervalMs = env().INGEST_COALESCE_MS;
  if (store.mode !== 'embedded' || intervalMs === 0) return undefined;
  const g = globalThis as GlobalWithSinks;
  g[SINKS] ??= new WeakMap();
  let sink = g[SINKS].get(store.ingestClient);
  if (!sink) {
    sink = createCoalescedSink(store.ingestClient, { intervalMs });
    g[SINKS].set(store.ingestClient, sink);
  }
  return sink;
}

export const ingestHandler = createIngestHandler({
  client: () => storage().ingestClient,
  coalesced: coalescedSink,
  ready: ensureReady,
  tokens: ingestTokens,
  erased: isErased,
  onStored: recordIngest,
  onStorageError: () => recordStorageError('insert_failed', 'ingest'),
  get maxBodyBytes() {
    return env().INGEST_MAX_BODY_BYTES;
  },
  get corsOrigins() {
    return env().CORS_ORIGINS;
  },
  get limits() {
    const e = env();
    return {
      maxRecords: e.INGEST_MAX_RECORDS,
      maxAttributes: e.INGEST_MAX_ATTRIBUTES,
      maxValueLength: e.INGEST_MAX_VALUE_LENGTH,
      maxDepth: e.INGEST_MAX_DEPTH,
    };
  },
  get maxInflightBytes() {
    return env().INGEST_MAX_INFLIGHT_BYTES;
  },
  get rates() {
    const e = env();
    return {
      tokenRecordsPerSecond: e.INGEST_TOKEN_RATE,
      browserClientRecordsPerSecond: e.INGEST_BROWSER_CLIENT_RATE,
      burstSeconds: e.INGEST_RATE_BURST_SECONDS,
    };
  },
  get trustedProxies() {
    return trustedProxies();
  },
  get maxInflightRecords() {
    return env().INGEST_MAX_INFLIGHT_RECORDS;
  },
});
