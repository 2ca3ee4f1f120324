/** The ingest handler wired to this process's storage, tokens and limits. */
import 'server-only';
import { createIngestHandler } from '@/ingest/handler';
import { storage } from './clickhouse';
import { env, perEnv } from './env';
import { isErased } from './privacy/erasure';
import { recordIngest, recordStorageError } from './self-telemetry';
import { ensureReady } from './startup';
import { ingestTokens } from './tokens';
import { addressList } from './security/addresses';

const trustedProxies = perEnv((e) => addressList(e.TRUSTED_PROXIES));

export const ingestHandler = createIngestHandler({
  client: () => storage().ingestClient,
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
