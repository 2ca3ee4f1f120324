/**
 * Ingest tokens: INGEST_TOKENS when set; otherwise one token generated on first start and kept in
 * DATA_DIR/ingest-token, so restarts and the demo simulator use the same one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, env, type Env } from './env';

export interface IngestTokens {
  tokens: string[];
  /** True when the token was generated (and should be shown to the operator). */
  generated: boolean;
  file?: string;
}

export function resolveIngestTokens(e: Env = env()): IngestTokens {
  if (e.INGEST_TOKENS.length > 0) return { tokens: e.INGEST_TOKENS, generated: false };
  const file = path.join(dataDir(e), 'ingest-token');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return { tokens: [existing], generated: true, file };
  } catch {
    // first start: generate below
  }
  const token = `pk_ingest_${randomBytes(24).toString('base64url')}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { tokens: [token], generated: true, file };
}

const TOKENS_KEY = Symbol.for('passkey-analytics.ingest-tokens');
type GlobalWithTokens = typeof globalThis & { [TOKENS_KEY]?: IngestTokens };

export function ingestTokens(): string[] {
  const g = globalThis as GlobalWithTokens;
  g[TOKENS_KEY] ??= resolveIngestTokens();
  return g[TOKENS_KEY].tokens;
}

export function otlpExporterLines(baseUrl: string, token: string): string[] {
  return [
    `OTEL_EXPORTER_OTLP_ENDPOINT=${baseUrl}`,
    `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${token}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
  ];
}
