/**
 * The ingest handler called directly (no app, no HTTP server) on a test's own storage client, for
 * integration tests of what reaches the engine: one token `test` / `secret`, JSON bodies.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { createIngestHandler, type IngestDeps } from '@/ingest/handler';

export function directIngest(client: () => ClickHouseClient, extra: Partial<IngestDeps> = {}) {
  return createIngestHandler({
    client,
    ready: async () => undefined,
    tokens: () => [{ name: 'test', scope: 'ingest', secret: 'secret' }],
    maxBodyBytes: 1024 * 1024,
    corsOrigins: [],
    log: () => undefined,
    ...extra,
  });
}

/** A POST /v1/logs of an OTLP/JSON body with the test token. */
export function postJson(body: unknown): Request {
  return new Request('http://127.0.0.1/v1/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer secret' },
    body: JSON.stringify(body),
  });
}

/** The `n` of a one-row count query. */
export async function countOf(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<number> {
  const rows = await (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0]!.n);
}
