/**
 * Ingest tokens (scopes in lib/security/tokens.ts): INGEST_TOKENS (`ingest`, every event) when set,
 * otherwise one token generated on first start and kept in DATA_DIR/ingest-token, so restarts and
 * the demo simulator use the same one (named `generated`); INGEST_BROWSER_TOKENS
 * (`ingest:browser`) beside either.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, env, type Env } from './env';
import { assertUniqueNames, parseTokens, type Token } from './security/tokens';

export interface IngestTokens {
  /** Every ingest token, the full-scope ones first. */
  tokens: Token[];
  /** True when the token was generated (and should be shown to the operator). */
  generated: boolean;
  file?: string;
}

export function resolveIngestTokens(e: Env = env()): IngestTokens {
  const browser = parseTokens(e.INGEST_BROWSER_TOKENS, 'ingest:browser', 'INGEST_BROWSER_TOKENS');
  if (e.INGEST_TOKENS.length > 0) {
    const tokens = [...parseTokens(e.INGEST_TOKENS, 'ingest', 'INGEST_TOKENS'), ...browser];
    assertUniqueNames(tokens, 'INGEST_TOKENS and INGEST_BROWSER_TOKENS');
    return { tokens, generated: false };
  }
  const file = path.join(dataDir(e), 'ingest-token');
  let secret = '';
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch {
    // first start: generate below
  }
  if (!secret) {
    secret = `pk_ingest_${randomBytes(24).toString('base64url')}`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  }
  const tokens: Token[] = [{ name: 'generated', scope: 'ingest', secret }, ...browser];
  assertUniqueNames(tokens, 'INGEST_BROWSER_TOKENS');
  return { tokens, generated: true, file };
}

const TOKENS_KEY = Symbol.for('passkey-analytics.ingest-tokens');
type GlobalWithTokens = typeof globalThis & { [TOKENS_KEY]?: IngestTokens };

export function ingestTokens(): Token[] {
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
