import { z } from 'zod';
import { storage } from '@/lib/clickhouse';
import { ensureReady } from '@/lib/startup';
import { loadMigrations } from '@/lib/migrate';
import { withOperation } from '@/lib/api/operation';

export const dynamic = 'force-dynamic';

export const zHealth = z.object({
  status: z.enum(['ok', 'unavailable']),
  storage: z.object({
    mode: z.enum(['embedded', 'server', 'cluster']),
    ready: z.boolean(),
    latencyMs: z.number().nullable(),
    migrations: z.number(),
    error: z.string().optional(),
  }),
  version: z.string(),
});

/** Health is public (load balancers probe it) and reveals no location or credentials. */
export const GET = withOperation(health, {
  path: '/api/v1/health',
  method: 'GET',
  operationId: 'health',
  summary: 'Storage readiness (mode, latency, migrations) and the version; public, for load balancers.',
  access: 'public',
  response: zHealth,
  status: 200,
  errors: [],
  otherResponses: [
    {
      status: 503,
      description: 'Storage is not reachable or not migrated (same body, `status: unavailable`).',
      schema: zHealth,
      headers: { 'Retry-After': 'Seconds to wait before probing again.' },
    },
  ],
});

async function health(): Promise<Response> {
  const started = performance.now();
  const mode = storage().mode;
  try {
    await ensureReady();
    await storage()
      .client.query({ query: 'SELECT 1', format: 'JSONEachRow' })
      .then((r) => r.json());
    const body = zHealth.parse({
      status: 'ok',
      storage: { mode, ready: true, latencyMs: Math.round((performance.now() - started) * 10) / 10, migrations: loadMigrations().length },
      version: process.env.npm_package_version ?? '0.1.0',
    });
    return Response.json(body, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    console.error(`[health] storage not ready: ${(error as Error).message}`);
    const body = zHealth.parse({
      status: 'unavailable',
      storage: {
        mode,
        ready: false,
        latencyMs: null,
        migrations: loadMigrations().length,
        error: 'storage is not reachable or not migrated',
      },
      version: process.env.npm_package_version ?? '0.1.0',
    });
    return Response.json(body, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } });
  }
}
