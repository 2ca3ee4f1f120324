/** The ingest handler wired to this process's storage, tokens and limits. */
import { createIngestHandler } from '@/ingest/handler';
import { storage } from './clickhouse';
import { env } from './env';
import { ensureReady } from './startup';
import { ingestTokens } from './tokens';

export const ingestHandler = createIngestHandler({
  client: () => storage().client,
  ready: ensureReady,
  tokens: ingestTokens,
  get maxBodyBytes() {
    return env().INGEST_MAX_BODY_BYTES;
  },
  get corsOrigins() {
    return env().CORS_ORIGINS;
  },
});
