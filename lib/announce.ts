import 'server-only';
import { env } from './env';
import { ensureReady } from './startup';
import { otlpExporterLines, resolveIngestTokens } from './tokens';
import { storage } from './clickhouse';
import { announceRolloutConfig } from './stage-gates/rollout-config-service';

export async function announceStart(): Promise<void> {
  const e = env();
  const base = `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`;
  const tokens = resolveIngestTokens(e);
  try {
    await ensureReady();
    console.log(`[storage] ${storage().mode} ClickHouse ready (${storage().location})`);
  } catch (error) {
    console.error(`[storage] not ready yet (${(error as Error).message}); ingest answers 503 until it is`);
  }
  if (tokens.generated) {
    console.log(
      `[ingest] no INGEST_TOKENS set; using the token kept in ${tokens.file}. Point an OpenTelemetry SDK or Collector here with:`,
    );
    for (const line of otlpExporterLines(base, tokens.tokens[0]?.secret ?? '')) console.log(`  ${line}`);
  } else {
    console.log(`[ingest] ingest tokens: ${tokens.tokens.map((t) => `${t.name} (${t.scope})`).join(', ')}; OTLP endpoint ${base}/v1/logs`);
  }
  announceRolloutConfig();
}
