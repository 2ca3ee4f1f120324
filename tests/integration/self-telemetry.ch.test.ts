/**
 * The product's own telemetry (lib/self-telemetry.ts): a private app exports OTLP/HTTP metrics to a
 * local receiver (standing in for an OpenTelemetry Collector) while the real OpenTelemetry log
 * exporter sends it ceremony records, one of which is invalid, and a dashboard route is read.
 * The receiver must see ingest records by outcome, request durations by route and status, and
 * query durations by query name — and nothing may reach the receiver's /v1/logs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedApp } from '../helpers/isolated-app';
import { exportingLogger } from '../helpers/otel';
import { uid } from '../helpers/otlp';

interface DataPoint {
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  asInt?: string | number;
  count?: string | number;
}
interface Metric {
  name: string;
  sum?: { dataPoints: DataPoint[] };
  histogram?: { dataPoints: DataPoint[] };
}
interface MetricsRequest {
  resourceMetrics: { resource?: { attributes?: DataPoint['attributes'] }; scopeMetrics: { metrics: Metric[] }[] }[];
}

const app = isolatedApp();
const received: { path: string; body: MetricsRequest | null }[] = [];
let receiver: http.Server;

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      let body: MetricsRequest | null = null;
      try {
        body = JSON.parse(text) as MetricsRequest;
      } catch {
        body = null;
      }
      received.push({ path: request.url ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await app.start({ SELF_TELEMETRY_OTLP_ENDPOINT: endpoint, SELF_TELEMETRY_EXPORT_INTERVAL_MS: '1000' });
}, 120_000);

afterAll(async () => {
  await app.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const attribute = (point: DataPoint, key: string) => {
  const value = point.attributes?.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

/** Every data point of a metric across the exports so far (cumulative: the newest export holds the totals). */
function points(name: string): DataPoint[] {
  const latest = received
    .filter((entry) => entry.body)
    .flatMap((entry) => entry.body?.resourceMetrics.flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics)) ?? [])
    .filter((metric) => metric.name === name);
  const last = latest.at(-1);
  return last?.sum?.dataPoints ?? last?.histogram?.dataPoints ?? [];
}

async function eventually(check: () => void, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('self-telemetry', () => {
  it('exports ingest outcomes, request and query durations to the configured OTLP endpoint', async () => {
    const logger = exportingLogger({ baseUrl: app.baseUrl, token: app.token, protocol: 'json', serviceName: uid('self-telemetry-rp') });
    logger.emit('auth.sign_in', { 'user.id': uid('u'), 'auth.method': 'password', 'auth.result': 'success' });
    logger.emit('passkey.registration', { 'user.id': uid('u'), 'passkey.result': 'maybe' }); // invalid: quarantined
    await logger.flush();
    await logger.shutdown();
    const overview = await fetch(`${app.baseUrl}/api/v1/overview`);
    expect(overview.status).toBe(200);
    const badRequest = await fetch(`${app.baseUrl}/api/v1/overview?from=yesterday`);
    expect(badRequest.status).toBe(400);

    await eventually(() => {
      const ingest = points('passkey_analytics.ingest.records');
      const count = (outcome: string) => Number(ingest.find((point) => attribute(point, 'outcome') === outcome)?.asInt ?? 0);
      expect(count('accepted')).toBe(1);
      expect(count('rejected')).toBe(1);
      expect(count('quarantined')).toBe(1);

      const requests = points('http.server.request.duration');
      const overviewCalls = (status: number) =>
        requests
          .filter(
            (point) => attribute(point, 'http.route') === '/api/v1/overview' && attribute(point, 'http.response.status_code') === status,
          )
          .reduce((total, point) => total + Number(point.count ?? 0), 0);
      expect(overviewCalls(200)).toBeGreaterThanOrEqual(1);
      expect(overviewCalls(400)).toBe(1);

      const queries = points('passkey_analytics.query.duration');
      expect(queries.some((point) => attribute(point, 'query.name') === 'overview-headlines' && attribute(point, 'outcome') === 'ok')).toBe(
        true,
      );
    });

    expect(received.every((entry) => entry.path === '/v1/metrics')).toBe(true);
    const resource = received.find((entry) => entry.body)?.body?.resourceMetrics[0]?.resource;
    expect(resource?.attributes?.find((entry) => entry.key === 'service.name')?.value.stringValue).toBe('passkey-rollout-analytics');
  });
});
